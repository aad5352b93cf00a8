"""State shared while one procedure (or the main program) is being emitted."""

from __future__ import annotations

from dataclasses import dataclass, field

from .symbols import Procedure, Scope


@dataclass
class UnitContext:
    scope: Scope
    procedures: dict[str, Procedure]
    unit_name: str
    is_main: bool = False
    result_name: str | None = None  # C++ name of the function result variable
    line: int = 0  # source line of the statement being translated
    pre: list[str] = field(default_factory=list)  # lines hoisted before the current statement
    helpers: set[str] = field(default_factory=set)  # runtime helpers the output needs
    includes: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)  # every C++ name in use in this unit
    loop_stack: list[str | None] = field(default_factory=list)  # names of enclosing do constructs
    gotos: set[str] = field(default_factory=set)  # labels a goto jumps to (labelled exit/cycle)
    temporaries: dict = field(default_factory=dict)  # id(expression node) -> ArrayView of its temporary
    formats: dict[str, str] = field(default_factory=dict)  # FORMAT statement label -> its specification
    goto_targets: set[str] = field(default_factory=set)  # statement labels some goto jumps to
    accessors: dict = field(default_factory=dict)  # array name -> (accessor name, its lambda definition)
    follow_ons: int = 0  # statements dropped because of an already reported declaration
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (line, construct, message)
    c_externals: dict = field(default_factory=dict)  # subroutines implemented in C: name -> NAME.c
    c_declarations: dict[str, str] = field(default_factory=dict)  # C symbol -> its extern "C" prototype

    def fresh(self, base: str) -> str:
        """A C++ name not used by the unit (generated counters, temporaries)."""
        name, n = base, 2
        while name in self.taken:
            name, n = f"{base}{n}", n + 1
        self.taken.add(name)
        return name

    def release(self, name: str) -> None:
        """A generated name whose C++ scope has closed may be reused by a later statement."""
        self.taken.discard(name)

"""MetaSchedule's design space for the tuning worker: TVM's default CPU rules, with the
multi-level tiling rule guarded.

The default rule fuses a reduction's one consumer into the reduction's tiles when that
consumer reads like a write cache (every read elementwise). A consumer that reads two
reductions (a windowed mean `used > 0 ? sum / used : 0`, computed from a sum and a count)
passes that test, but it cannot be computed under one reduction's tiles while the other
reduction is computed elsewhere: `reverse_compute_at` refuses ("producer(s) not present
under the target loop") and, the rule raising, MetaSchedule gives up on the whole workload.
Guarded, such a block is tiled the same way without the fused consumer, and every other
block keeps the default rule's design space.
"""

from __future__ import annotations

TILING_STRUCTURE = "SSRSRS"  # the CPU default of MetaSchedule's multi-level tiling
MAX_INNERMOST_FACTOR = 64


def design_space():
    """The space generator tune_tir gets: post-order application of the guarded rules, with
    the default CPU post-processors and mutators."""
    from tvm.s_tir import meta_schedule as ms

    rules = list(ms.ScheduleRule.create("llvm"))
    guarded = [_guard(rule) if _is_tiling(rule) else rule for rule in rules]
    return ms.space_generator.PostOrderApply(sch_rules=guarded, postprocs="llvm", mutator_probs="llvm")


def _is_tiling(rule) -> bool:
    return type(rule).__name__ == "MultiLevelTiling"


def _guard(rule):
    from tvm.s_tir import meta_schedule as ms

    fallback = ms.schedule_rule.MultiLevelTiling(structure=TILING_STRUCTURE,
                                                 max_innermost_factor=MAX_INNERMOST_FACTOR)
    return _guarded_class()(rule, fallback)


_GUARDED = None


def _guarded_class():
    """The rule class, made once TVM is imported (derived_object registers it with TVM)."""
    global _GUARDED
    if _GUARDED is not None:
        return _GUARDED
    from tvm.ir.utils import derived_object
    from tvm.s_tir import meta_schedule as ms

    @derived_object
    class GuardedTiling(ms.schedule_rule.PyScheduleRule):
        """`inner` on a copy of the schedule; where it raises, `fallback` (tiling without a
        fused consumer) on the schedule itself."""

        def __init__(self, inner, fallback):
            super().__init__()
            self.inner = inner
            self.fallback = fallback

        def _initialize_with_tune_context(self, context) -> None:
            self.inner._initialize_with_tune_context(context)
            self.fallback._initialize_with_tune_context(context)

        def apply(self, sch, block):
            try:
                return list(self.inner.apply(sch.copy(), block))
            except Exception:  # noqa: BLE001 - a schedule primitive refused this block's fused form
                return list(self.fallback.apply(sch, block))

        def clone(self):
            return GuardedTiling(self.inner.clone(), self.fallback.clone())

    _GUARDED = GuardedTiling
    return _GUARDED

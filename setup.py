"""Maps the top-level folders of the repository under the `transverify` namespace.

The repository keeps the design card's layout (verify/, translators/, server/ at
the top); installed, they become transverify.verify, transverify.translators and
transverify.server.  setuptools cannot express a recursive remapping in
pyproject.toml alone, so the subpackages are discovered here.
"""

from setuptools import find_packages, setup

PACKAGE_DIRS = {
    "transverify": "transverify",
    "transverify.verify": "verify",
    "transverify.translators": "translators",
    "transverify.server": "server",
}


def _packages() -> list[str]:
    packages = []
    for package, folder in PACKAGE_DIRS.items():
        packages.append(package)
        packages.extend(f"{package}.{sub}" for sub in find_packages(folder))
    return packages


setup(
    packages=_packages(),
    package_dir=PACKAGE_DIRS,
    # Harness templates, runtime headers and prompt templates ship with the code.
    package_data={"": ["*.h", "*.hpp", "*.cpp", "*.f90", "*.md", "*.txt", "*.json", "*.toml", "*.j2"]},
    include_package_data=True,
)

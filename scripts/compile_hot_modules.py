"""Compile the pure-Python modules a PDF render spends its time in to C extensions, with Cython, in place.

WeasyPrint lays out, draws and writes in Python; Cython compiles the same source, unchanged and untyped, to C that
calls the same objects without the interpreter's dispatch. A typical summary PDF renders in about 0.8x the time
(benchmarks/pdf_render.py, step "compiled"), byte for byte the same (tests/test_compiled.py renders with the
sources and the extensions and compares).

Each extension lands beside its source in the target's site-packages (`weasyprint/layout/block.py` gets
`block.cpython-311-x86_64-linux-gnu.so`); Python's import system takes an extension before a source of the same
name. A manifest (MANIFEST, in site-packages) lists every extension with the SHA-256 of the source it was built from;
the next run removes them all first, and `webapp.compiled.status()` tells stale from current, so a package
reinstalled at another version never runs an old extension unnoticed (pip removes only the files it installed).

The C is compiled twice, with profile-guided optimization (gcc's -fprofile-generate, then -fprofile-use): the
first build, instrumented, goes in place and renders the app's warm-up summary in each variant a few times (the
target interpreter runs this script with --train, in the project's root, so the app must be importable there with
its guides and catalogs); the second build is compiled with the counts that run left, and replaces it. Measured:
0.95x the CPU time of a render without (benchmarks/compare_builds.py, 20 alternating rounds), the same bytes; about
10 s of training and a second compile. --no-pgo builds once, without (for a target that cannot run the app).

Run by `make` (after the venv) and by the Dockerfile's build stage:
    python scripts/compile_hot_modules.py [--target-python PATH] [--no-pgo]
It builds with the running interpreter (which has Cython, from requirements/build.txt) for the target interpreter
(default: the same), which must be the same Python version; it needs a C compiler and Python's headers
(scripts/system-deps.sh installs them).
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

MANIFEST = "yuqi_compiled_modules.json"

# What a summary render spends its Python time in (py-spy over warm renders): WeasyPrint's layout, cascade, boxes,
# drawing and PDF output, and the parsers and serializer under them. Globs, relative to site-packages.
HOT = (
    "weasyprint/layout/*.py",
    "weasyprint/css/__init__.py",
    "weasyprint/css/computed_values.py",
    "weasyprint/css/functions.py",
    "weasyprint/css/targets.py",
    "weasyprint/css/counters.py",
    "weasyprint/formatting_structure/*.py",
    "weasyprint/draw/*.py",
    "weasyprint/text/line_break.py",
    "weasyprint/text/fonts.py",
    "weasyprint/pdf/*.py",
    "weasyprint/document.py",
    "weasyprint/stacking.py",
    "weasyprint/matrix.py",
    "weasyprint/html.py",
    "weasyprint/anchors.py",
    "pydyf/*.py",
    "tinycss2/*.py",
    "cssselect2/*.py",
    "tinyhtml5/*.py",
)
# Valid Python that Cython (3.3.1 too) refuses, rewritten in the copy it compiles, to an expression of the same value:
# each original must appear exactly once, or the module stays a source. The source in site-packages is untouched.
REWRITES = {
    "weasyprint/layout/preferred.py": [
        (  # "starred expression is not allowed here": the same list, built by concatenation
            "max([\n            sum(max_content_widths), large_percentage_contribution,\n"
            "            *small_percentage_contributions])",
            "max([\n            sum(max_content_widths), large_percentage_contribution]\n"
            "            + list(small_percentage_contributions))",
        ),
    ],
}
# Python-compatible semantics only: no type inference, no C integers, functions that behave as Python's.
DIRECTIVES = {"language_level": 3, "binding": True}
# -O1: about the speed of -O2 here (measured), in half the compile time; no debug information, and the symbols
# stripped at link: a fifth of the size (about 16 MB in all instead of 79 MB).
CFLAGS = ["-O1", "-g0"]
LDFLAGS = ["-s"]
# Profile-guided optimization ({profile}: a folder of the build's). Code the training never ran (other documents'
# paths, errors) is still optimized for speed (-fprofile-partial-training), not for size.
PGO_GENERATE = ["-fprofile-generate={profile}", "-fprofile-update=single"]
PGO_USE = ["-fprofile-use={profile}", "-fprofile-partial-training", "-Wno-missing-profile"]
PROJECT_ROOT = Path(__file__).resolve().parent.parent
TRAINING_ROUNDS = 3


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def target_paths(python: str) -> tuple[Path, str, str]:
    """The target interpreter's site-packages, extension suffix and version."""
    script = (
        "import sys, sysconfig, json; print(json.dumps([sysconfig.get_paths()['purelib'], "
        "sysconfig.get_config_var('EXT_SUFFIX'), '%d.%d' % sys.version_info[:2]]))"
    )
    purelib, suffix, version = json.loads(subprocess.check_output([python, "-c", script], text=True))
    return Path(purelib), suffix, version


def module_name(relative: str) -> str:
    """`a/b/c.py` is a.b.c; `a/b/__init__.py` is the package a.b (its extension exports PyInit_b, and lands as
    a/b/__init__.<suffix>, which the import system takes for the package)."""
    return relative.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def extension_path(relative: str, suffix: str) -> Path:
    """Where a source's extension goes, relative to site-packages: beside it, with the interpreter's suffix."""
    return Path(relative).with_name(Path(relative).stem + suffix)


def remove_previous(site: Path) -> None:
    manifest = site / MANIFEST
    if not manifest.exists():
        return
    for entry in json.loads(manifest.read_text())["modules"].values():
        (site / entry["extension"]).unlink(missing_ok=True)
    manifest.unlink()


def cythonize_all(site: Path, sources: list[str], work: Path) -> tuple[list[Any], dict[str, str]]:
    """Cythonize each source under `work`; returns the extensions to compile and the modules left out."""
    from Cython.Build import cythonize
    from Cython.Compiler.Errors import CompileError
    from setuptools.extension import Extension

    extensions: list[Extension] = []
    skipped: dict[str, str] = {}
    for relative in sources:
        copy = work / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        name = module_name(relative)
        text = (site / relative).read_text(encoding="utf-8")
        for original, replacement in REWRITES.get(relative, []):
            if text.count(original) != 1:
                skipped[name] = "its source changed: a rewrite Cython needs no longer applies"
                break
            text = text.replace(original, replacement)
        if name in skipped:
            continue
        copy.write_text(text, encoding="utf-8")
        extension = Extension(name, [str(copy)], extra_compile_args=CFLAGS, extra_link_args=LDFLAGS)
        try:
            extensions += cythonize([extension], compiler_directives=DIRECTIVES, quiet=True)
        except CompileError as error:  # Cython cannot compile some valid Python; that module stays a source
            skipped[name] = f"Cython cannot compile it: {error}"
    return extensions, skipped


def compile_all(extensions: list[Any], work: Path, cflags: list[str], ldflags: list[str]) -> dict[str, Path]:
    """Compile the cythonized extensions with these flags, all of them (again, if built before: the same objects,
    so the profile a first build's run left is found by the second)."""
    from setuptools import Distribution
    from setuptools.command.build_ext import build_ext

    for extension in extensions:
        extension.extra_compile_args, extension.extra_link_args = cflags, ldflags
    command = build_ext(Distribution({"ext_modules": extensions}))
    command.build_lib = str(work / "lib")
    command.build_temp = str(work / "temp")
    command.parallel = os.cpu_count() or 1
    command.force = True
    command.ensure_finalized()
    command.run()
    return {e.name: Path(command.get_ext_fullpath(e.name)) for e in extensions}


def install(site: Path, sources: list[str], built: dict[str, Path], suffix: str) -> dict[str, dict[str, str]]:
    """Copy the built extensions beside their sources; returns the manifest's entries."""
    modules = {}
    for relative in sources:
        name = module_name(relative)
        if name not in built:
            continue
        extension = extension_path(relative, suffix)
        (site / extension).unlink(missing_ok=True)  # a new file, never rewritten in place under a running process
        shutil.copyfile(built[name], site / extension)
        modules[name] = {"source": relative, "source_sha256": sha256(site / relative), "extension": str(extension)}
    return modules


def train() -> None:
    """What the instrumented build runs (in the target interpreter, in the project's root): the app's start-up
    warm-up (its warm-up summary in each variant, rendered in this process), TRAINING_ROUNDS times."""
    sys.path.insert(0, str(PROJECT_ROOT))
    from webapp import create_app
    from webapp.state import state
    from webapp.summary import warm_up_documents

    app = create_app({"PDF_PRERENDER": False, "PDF_WARM_UP": False})
    documents = warm_up_documents(app)
    for _ in range(TRAINING_ROUNDS):
        state(app).pdf_renderer.warm_up(documents)


def remove_instrumented(site: Path, sources: list[str], suffix: str) -> None:
    """After a failed training: no instrumented extension stays behind (each would write counts at every exit)."""
    for relative in sources:
        (site / extension_path(relative, suffix)).unlink(missing_ok=True)


def verify(python: str, site: Path, modules: list[str]) -> None:
    """Each module, imported by the target interpreter, is the extension just built."""
    script = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]:\n"
        "    module = importlib.import_module(name)\n"
        "    assert not module.__file__.endswith('.py'), (name, module.__file__)\n"
    )
    subprocess.run([python, "-c", script, *modules], check=True, cwd=site)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target-python", default=sys.executable, help="the interpreter whose packages to compile")
    parser.add_argument("--no-pgo", action="store_true", help="build once, without profile-guided optimization")
    parser.add_argument("--train", action="store_true", help=argparse.SUPPRESS)  # run by the build, see train()
    args = parser.parse_args()
    if args.train:
        train()
        return
    site, suffix, version = target_paths(args.target_python)
    if version != "{}.{}".format(*sys.version_info[:2]) or suffix != sysconfig.get_config_var("EXT_SUFFIX"):
        sys.exit(f"the target is Python {version} ({suffix}); this is {sys.version.split()[0]}: they must match")
    remove_previous(site)
    sources = sorted({str(p.relative_to(site)) for pattern in HOT for p in site.glob(pattern)})
    if not sources:
        sys.exit(f"none of the modules to compile is in {site}")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        extensions, skipped = cythonize_all(site, sources, work)
        if args.no_pgo:
            modules = install(site, sources, compile_all(extensions, work, CFLAGS, LDFLAGS), suffix)
        else:
            generate = [flag.format(profile=work / "profile") for flag in PGO_GENERATE]
            install(site, sources, compile_all(extensions, work, CFLAGS + generate, LDFLAGS + generate), suffix)
            training = subprocess.run(
                [args.target_python, str(Path(__file__).resolve()), "--train"],
                cwd=PROJECT_ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            if training.returncode != 0 or not list((work / "profile").rglob("*.gcda")):
                remove_instrumented(site, sources, suffix)
                sys.exit(
                    "the training render of the profile-guided build failed (the app must be importable in "
                    f"{PROJECT_ROOT}, with its guides and catalogs; --no-pgo builds without):\n"
                    + training.stderr[-3000:]
                )
            use = [flag.format(profile=work / "profile") for flag in PGO_USE]
            modules = install(site, sources, compile_all(extensions, work, CFLAGS + use, LDFLAGS), suffix)
    from Cython import __version__ as cython_version

    manifest: dict[str, Any] = {
        "cython": cython_version,
        "directives": DIRECTIVES,
        "cflags": CFLAGS,
        "ldflags": LDFLAGS,
    }
    manifest |= {"pgo": not args.no_pgo, "training": "" if args.no_pgo else f"warm-up summaries x{TRAINING_ROUNDS}"}
    manifest |= {"modules": modules, "skipped": skipped, "rewritten": sorted(REWRITES)}
    (site / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    verify(args.target_python, site, sorted(modules))
    print(f"compiled {len(modules)} modules in {site}; left as sources: {', '.join(sorted(skipped)) or 'none'}")


if __name__ == "__main__":
    main()

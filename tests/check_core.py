#!/usr/bin/env python3
"""Checks generated FuseSoC core descriptions (<top>.core) and filelists (<top>.f), since FuseSoC is not
packaged here: the rules of FuseSoC's CAPI2 schema (fusesoc/capi2/json_schema.py: the keys each section
allows, the required ones, the legal datatypes) as plain checks, and against the design itself: every
listed file exists, the toplevel is the manifest's top, every vlogparam is a Verilog parameter of the
top with its default, and the filelist compiles with `verilator -F` and `iverilog -c`.

Usage: check_core.py MIXPE  (generates a few designs into a temporary directory)
Prints `N passed, N failed`; exits non-zero on any failure.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

TOP_KEYS = {"name", "description", "license", "filesets", "generate", "generators", "parameters", "provider",
            "scripts", "targets", "vpi", "virtual", "mapping"}
FILESET_KEYS = {"file_type", "logical_name", "tags", "files", "files_append", "depend", "depend_append"}
FILE_KEYS = {"define", "is_include_file", "include_path", "file_type", "logical_name", "tags", "copyto"}
TARGET_KEYS = {"default_tool", "description", "flow", "flow_options", "hooks", "tools", "toplevel", "flags",
               "filesets", "filesets_append", "filters", "filters_append", "generate", "generate_append",
               "parameters", "parameters_append", "vpi", "vpi_append"}
PARAM_KEYS = {"datatype", "default", "description", "paramtype", "scope"}
DATATYPES = {"bool", "file", "int", "real", "str"}
PARAMTYPES = {"cmdlinearg", "generic", "plusarg", "vlogdefine", "vlogparam"}

DESIGNS = [("pe", "--weight-format nf4 --lut-terms 2"), ("array", "--rows 4 --cols 2 --group-size 32"),
           ("edge", "--preset w4a16"), ("engine", "--rows 4 --cols 2 --group-size 32 --depth 4")]


def check_core(path, manifest, rtl):
    """The problems of one .core file (empty when it is good)."""
    text = open(path).read()
    errs = []
    if not text.startswith("CAPI=2:\n"):
        errs.append("the first line is not 'CAPI=2:'")
    core = yaml.safe_load(text.split("\n", 1)[1])  # (FuseSoC reads the header line apart, then the YAML)
    if not isinstance(core, dict):
        return errs + ["not a YAML mapping"]
    errs += [f"unknown top-level key '{k}'" for k in core if k not in TOP_KEYS]
    if not re.fullmatch(r"[^:\s]*:[^:\s]*:[^:\s]+:[^:\s]*", str(core.get("name", ""))):
        errs.append(f"name '{core.get('name')}' is not a VLNV (vendor:library:name:version)")
    filesets = core.get("filesets", {})
    for fs_name, fs in filesets.items():
        errs += [f"fileset {fs_name}: unknown key '{k}'" for k in fs if k not in FILESET_KEYS]
        for f in fs.get("files", []):
            if isinstance(f, dict):
                if len(f) != 1:
                    errs.append(f"fileset {fs_name}: a file object must have one key")
                name, attrs = next(iter(f.items()))
                errs += [f"file {name}: unknown key '{k}'" for k in attrs if k not in FILE_KEYS]
            else:
                name = f
            if not os.path.exists(os.path.join(os.path.dirname(path), name)):
                errs.append(f"file {name} does not exist")
        if not fs.get("file_type"):
            errs.append(f"fileset {fs_name} has no file_type")
    listed = [f for fs in filesets.values() for f in fs.get("files", [])]
    if sorted(listed) != sorted(manifest["files"]):
        errs.append(f"the filesets list {sorted(listed)}, the manifest {sorted(manifest['files'])}")
    params = core.get("parameters", {})
    verilog = open(os.path.join(rtl, manifest["top"] + ".v")).read()
    for p_name, p in params.items():
        errs += [f"parameter {p_name}: unknown key '{k}'" for k in p if k not in PARAM_KEYS]
        if p.get("datatype") not in DATATYPES:
            errs.append(f"parameter {p_name}: datatype {p.get('datatype')} is not one of {sorted(DATATYPES)}")
        if p.get("paramtype") not in PARAMTYPES:
            errs.append(f"parameter {p_name}: paramtype {p.get('paramtype')} is not one of {sorted(PARAMTYPES)}")
        m = re.search(rf"\bparameter\s+(?:integer\s+)?{p_name}\s*=\s*(\d+)", verilog)
        if p.get("paramtype") == "vlogparam" and (not m or int(m.group(1)) != p.get("default")):
            errs.append(f"parameter {p_name} is not a parameter of {manifest['top']} with default {p.get('default')}")
    targets = core.get("targets", {})
    if "default" not in targets:
        errs.append("no default target")
    for t_name, t in targets.items():
        errs += [f"target {t_name}: unknown key '{k}'" for k in t if k not in TARGET_KEYS]
        errs += [f"target {t_name}: fileset {f} is not defined" for f in t.get("filesets", []) if f not in filesets]
        errs += [f"target {t_name}: parameter {p} is not defined" for p in t.get("parameters", []) if p not in params]
        if t.get("toplevel") != manifest["top"]:
            errs.append(f"target {t_name}: toplevel {t.get('toplevel')} is not {manifest['top']}")
    return errs


def check_filelist(rtl, manifest):
    """The filelist compiles, from another directory (verilator -F) and from its own (iverilog -c)."""
    top, f = manifest["top"], os.path.join(rtl, manifest["filelist"])
    errs = []
    r = subprocess.run(["verilator", "--lint-only", "-Wall", "-F", f, "--top-module", top], cwd="/",
                       capture_output=True, text=True)
    if r.returncode:
        errs.append(f"verilator -F {f}: {r.stderr.strip()[:300]}")
    r = subprocess.run(["iverilog", "-g2005", "-o", os.devnull, "-c", manifest["filelist"], "-s", top], cwd=rtl,
                       capture_output=True, text=True)
    if r.returncode:
        errs.append(f"iverilog -c {manifest['filelist']}: {r.stderr.strip()[:300]}")
    return errs


def main():
    mixpe = os.path.abspath(sys.argv[1])
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for block, opts in DESIGNS:
            rtl = os.path.join(tmp, block)
            out = subprocess.run([mixpe, "gen", block, "-o", rtl] + opts.split(), check=True, capture_output=True,
                                 text=True).stdout.split()
            manifest = json.load(open([p for p in out if p.endswith(".json")][0]))
            errs = check_core(os.path.join(rtl, manifest["core"]), manifest, rtl) + check_filelist(rtl, manifest)
            # a corrupted core must be refused: the check itself can fail
            bad = os.path.join(rtl, "bad.core")
            open(bad, "w").write(open(os.path.join(rtl, manifest["core"])).read().replace("toplevel:", "top_level:"))
            if not check_core(bad, manifest, rtl):
                errs.append("a core with an unknown target key passed the check")
            for e in errs:
                print(f"FAIL {manifest['top']}: {e}")
            passed, failed = passed + (not errs), failed + bool(errs)
            if not errs:
                print(f"ok   {manifest['top']}: {manifest['core']} ({block}), {manifest['filelist']}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

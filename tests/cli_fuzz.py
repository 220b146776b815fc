#!/usr/bin/env python3
"""Fuzz test of the command line: random argument vectors through every subcommand, legal and
hostile values for every option (numbers out of range, not numbers, NaN, infinities, huge,
empty, long strings; flags with values; files that are missing, empty, corrupt, directories or
in the way, directories where a file goes; values with newlines, integers with leading zeros).
Every case must end in exit 0 or 2 within its time limit; on 2 with exactly one line on stderr,
nothing on stdout and no file written anywhere under the scratch directory, which is also the
working directory; on 0 with no NaN or infinity in what it printed and files written only under
out/; after either, no temporary of the atomic writer left behind. Before the random cases, directed
ones: every numeric option of every subcommand (found in its --help) with inf, -inf and nan, which
must be refused. Prints the seed, one line per failure with the command that reproduces it, and
`N passed, N failed`.

Usage: cli_fuzz.py MIXPE [--cases N] [--seed S]
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "tests", "data", "stories260K.bin")
HOSTILE_NUMBERS = ["-1", "0", "nan", "inf", "-inf", "1e300", "1e-300", "", "x", "0x10", "2.5", "18446744073709551616",
                   "99999999999", "1" * 300, "010", "08", "-01", "1\n2", "4\n"]
# the destinations some commands write, made directories in out/dirdest before every case
DIR_DESTINATIONS = ["perf.csv", "tokens.txt", "mixpe_pe_w4u_fp16_prealign16_b16_p0.v", "mixpe_skew.v"]
# the atomic writer's temporaries and backups (io/output_files.cpp): none may outlive a run
TEMPORARY = re.compile(r"\.(tmp|old)\.[A-Za-z0-9]{6}$")


def design_options(rng):
    """A few of the schema's options, mostly legal values."""
    table = {
        "--preset": ["w4a16", "w4a8", "int8", "fma", "nope"],
        "--pe": ["mixpe", "lut", "fma", "int8", "fp8"],
        "--weight-bits": ["2", "3", "4", "8", "5"],
        "--act": ["fp16", "bf16", "int8", "fp8", "fp\n16"],
        "--accum": ["prealign", "exact", "fp32", "kulisch"],
        "--align-bits": ["8", "12", "16", "32", "7", "33"],
        "--rows": ["2", "4", "8", "16", "3"],
        "--cols": ["2", "3", "16", "65"],
        "--group-size": ["32", "64", "128", "100"],
        "--depth": ["2", "8", "16", "64", "3", "2048"],
        "--load": ["1", "2", "4", "3"],
        "--edge-frac-bits": ["-1", "0", "8", "40", "99999"],
        "--pipeline": ["0", "1", "2"],
        "--weight-format": ["nf4", "nf3", "nf2", "nf5"],
        "--lut-terms": ["0", "1", "2", "4"],
    }
    flags = ["--weight-signed", "--booth", "--axis"]
    out = []
    for name in rng.sample(sorted(table), rng.randint(0, 3)):
        out += [name, rng.choice(table[name] + HOSTILE_NUMBERS[:3])]
    if rng.random() < 0.2:
        f = rng.choice(flags)
        out.append(f if rng.random() < 0.7 else f + "=" + rng.choice(["0", "1", "2", "yes"]))
    return out


class Files:
    """The file arguments a case may point at, made once per run in a scratch directory."""

    def __init__(self, mixpe, scratch):
        self.scratch = scratch
        j = lambda *p: os.path.join(scratch, *p)
        os.makedirs(j("emptydir"))
        open(j("empty.bin"), "wb").close()
        with open(j("corrupt.bin"), "wb") as f:
            f.write(bytes(random.Random(1).randrange(256) for _ in range(4096)))
        with open(j("file.txt"), "w") as f:
            f.write("not a directory\n")
        traces = j("traces")
        subprocess.run([mixpe, "trace", "--model", MODEL, "--tokens", "2", "-o", traces], check=True,
                       stdout=subprocess.DEVNULL)
        os.makedirs(j("badtraces"))
        with open(j("badtraces", "l.trace"), "wb") as f:
            f.write(b"MXTR" + bytes(16))
        self.models = [MODEL, j("missing.bin"), j("empty.bin"), j("corrupt.bin"), j("emptydir"), "/dev/null"]
        self.traces = [traces, j("missing"), j("emptydir"), j("badtraces"), j("file.txt")]

    def out_dir(self, rng, case):
        """A fresh path (legal), or one where nothing can be written."""
        return rng.choice([os.path.join(self.scratch, "out", f"c{case}")] * 3 +
                          [os.path.join(self.scratch, "file.txt", "x"), "/dev/null/x", "/proc/mixpe", "",
                           os.path.join(self.scratch, "out", "dirdest"), os.path.join(self.scratch, "out", "a\nb")])

    def out_file(self, rng, case):
        return rng.choice([os.path.join(self.scratch, "out", f"c{case}.csv")] * 3 +
                          [os.path.join(self.scratch, "emptydir"), "/dev/null/x.csv", os.path.join(self.scratch, "file.txt", "y"),
                           "", "/dev/null", os.path.join(self.scratch, "out", "dirdest", "perf.csv"), "y" * 300])


BOUNDARY = ["-1", "0", "-2147483648", "2147483648"]


def value(rng, legal):
    """A legal value, or (a third of the time) a boundary integer or another hostile string."""
    r = rng.random()
    return rng.choice(legal) if r < 0.67 else rng.choice(BOUNDARY) if r < 0.83 else rng.choice(HOSTILE_NUMBERS)


def make_case(rng, files, case):
    """One argument vector (without the program)."""
    cmd = rng.choice(["gen", "list", "error", "llm", "trace", "eval", "fidelity", "mutate", "cycles", "perf", "bogus"])
    if cmd == "bogus":
        return [rng.choice(["bogus", "Gen", "", "-x", "cycle"])]
    if cmd == "gen":
        block = rng.choice(["pe", "edge", "array", "group-unit", "engine", "skew", "fp32-add", "nope"])
        args = ["gen", block] + design_options(rng)
        return args + (["--print-top"] if rng.random() < 0.3 else ["-o", files.out_dir(rng, case)])
    if cmd == "list":
        sub = rng.choice(["random", "presets", "blocks", "options", "area", "nope"])
        args = ["list", sub]
        if sub == "random":
            for name, legal in (("--count", ["1", "3"]), ("--seed", ["0", "7", "18446744073709551615"]),
                                ("--max-rows", ["2", "16"]), ("--max-cols", ["2", "8"])):
                if rng.random() < 0.5:
                    args += [name, value(rng, legal)]
        return args
    if cmd == "error":
        args = ["error"] + design_options(rng)
        args += ["--act-rows", value(rng, ["1", "2", "4"])]
        if rng.random() < 0.5:
            args += ["--model", rng.choice(files.models)]
        if rng.random() < 0.3:
            args += ["--traces", rng.choice(files.traces)]
        if rng.random() < 0.3:
            args += ["--sweep-align", rng.choice(["8,16", "12", "16,,8", "16,16", "8,x", "", "40"])]
        if rng.random() < 0.3:
            args += ["--seed", value(rng, ["1", "42"])]
        return args
    if cmd == "llm":
        args = ["llm", "--model", rng.choice(files.models), "--steps", value(rng, ["1", "2", "3"])]
        args += ["--gemm", rng.choice(["fp32", "golden", "software", "fp64"])]
        if rng.random() < 0.3:
            args += ["--prompt-tokens", rng.choice(["1,2", "5,", "x", "99999", "", "01", "1\n2"])]
        if rng.random() < 0.3:
            args += ["--logits", files.out_file(rng, case)]
        return args + (design_options(rng) if rng.random() < 0.3 else [])
    if cmd == "trace":
        return ["trace", "--model", rng.choice(files.models), "--tokens", value(rng, ["1", "2"]), "-o",
                files.out_dir(rng, case)]
    if cmd == "eval":
        return ["eval", "--model", rng.choice(files.models), "--steps", value(rng, ["2", "3"]), "--csv",
                files.out_file(rng, case)]
    if cmd == "fidelity":
        return ["fidelity", "--traces", rng.choice(files.traces)] + design_options(rng)
    if cmd == "mutate":
        args = ["mutate", rng.choice(["pe", "skew", "nope"])]
        if rng.random() < 0.5:
            args.append("--list")
        if rng.random() < 0.5:
            args += ["--mutant", value(rng, ["0", "3"]), "-o", files.out_dir(rng, case)]
        return args
    if cmd == "cycles":
        shape = rng.choice(["1x64x64", "16x4096x4096", "2x100x33", "0x1x1", "1x64", "16x65536x65536", "x", "1x1x1"])
        return ["cycles", "--shape", shape] + design_options(rng)
    # perf: its success path takes tens of seconds (cli_smoke runs it); here one value is always bad
    args = ["perf", "--out", files.out_dir(rng, case)]
    numeric = {"--batch": ["1", "64"], "--context": ["16"], "--area-mm2": ["0", "8"], "--load-width": ["0", "1"],
               "--depth": ["0", "16"], "--clock-mhz": ["0", "100"], "--dram-gbps": ["25.6"], "--dram-pj-bit": ["20"],
               "--sram-pj-bit": ["1.5"], "--weight-buffer-kib": ["512"], "--act-buffer-kib": ["4096"],
               "--attn-gmacs": ["51.2"], "--attn-pj-mac": ["2"], "--rows-pj-bit": ["0.15"], "--leak-w-mm2": ["0"]}
    names = rng.sample(sorted(numeric), rng.randint(1, 3))
    for i, n in enumerate(names):
        args += [n, rng.choice(HOSTILE_NUMBERS[:9]) if i == 0 else rng.choice(numeric[n])]
    if rng.random() < 0.3:
        args += ["--model", rng.choice(["vit-b16", "gpt-5", files.models[rng.randrange(len(files.models))]])]
    return args


# Each subcommand with the arguments it needs, for the directed cases (OUT: a fresh output path)
BASES = [["gen", "engine", "--print-top"], ["error"], ["llm", "--model", MODEL, "--steps", "1"],
         ["trace", "--model", MODEL, "--tokens", "1", "-o", "OUT"], ["eval", "--model", MODEL, "--steps", "2", "--csv",
         "OUT.csv"], ["fidelity", "--traces", "TRACES"], ["cycles", "--shape", "1x64x64"], ["perf", "--out", "OUT"],
         ["list", "random"], ["mutate", "pe", "--list"]]
NEVER_LEGAL = ["inf", "-inf", "nan"]


def directed_cases(mixpe, files):
    """Every numeric option of every subcommand (read from its --help, so an option whose validator
    is lost is still found) with a non-finite value, which no option may take: (args, must exit 2)."""
    cases = []
    for base in BASES:
        text = subprocess.run([mixpe] + base[:2 if base[0] in ("gen", "list", "mutate") else 1] + ["--help"],
                              capture_output=True, text=True).stdout
        for opt in re.findall(r"^\s+(?:-\w,)?(--[\w-]+) (?:FLOAT|INT|UINT)", text, re.M):
            for v in NEVER_LEGAL:
                args = [a.replace("OUT", os.path.join(files.scratch, "out", "d")).replace("TRACES", files.traces[0])
                        for a in base]
                cases.append((args + [opt, v], True))
    return cases


def snapshot(scratch):
    """Every path under the scratch directory: the cases' working directory, out/ and the inputs."""
    found = set()
    for d, dirs, fs in os.walk(scratch):
        found |= {os.path.join(d, x) for x in dirs + fs}
    return found


def reset_out(scratch):
    out = os.path.join(scratch, "out")
    shutil.rmtree(out, ignore_errors=True)
    for name in DIR_DESTINATIONS:
        os.makedirs(os.path.join(out, "dirdest", name))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mixpe")
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.SystemRandom().randrange(1 << 31)
    print(f"cli_fuzz: {a.cases} cases, seed {seed}")
    rng = random.Random(seed)
    scratch = tempfile.mkdtemp(prefix="mixpe_cli_fuzz.")
    mixpe = os.path.abspath(a.mixpe)
    passed = failed = 0
    try:
        files = Files(mixpe, scratch)
        reset_out(scratch)
        bad_number = re.compile(r"(?<![\w.-])-?(nan|inf)(?![\w])", re.IGNORECASE)
        cases = directed_cases(mixpe, files)
        directed = len(cases)
        print(f"cli_fuzz: {directed} directed cases (every numeric option of every subcommand with {', '.join(NEVER_LEGAL)})")
        cases += [(make_case(rng, files, case), False) for case in range(a.cases)]
        for case, (args, must_fail) in enumerate(cases):
            before = snapshot(scratch)
            problem = None
            try:
                p = subprocess.run([mixpe] + args, capture_output=True, text=True, errors="replace", timeout=60,
                                   cwd=scratch)
            except subprocess.TimeoutExpired:
                problem = "no answer within 60 s"
            if problem is None:
                err_lines = p.stderr.splitlines()
                if p.returncode == 2:
                    if len(err_lines) != 1 or p.stdout:
                        problem = f"exit 2 with {len(err_lines)} stderr lines and {len(p.stdout)} bytes on stdout"
                    elif snapshot(scratch) != before:
                        problem = "exit 2 but files were written: " + ", ".join(sorted(snapshot(scratch) - before))[:200]
                elif must_fail:
                    problem = f"a value no option may take, not refused (exit {p.returncode})"
                elif p.returncode == 0:
                    after = snapshot(scratch)
                    stray = sorted(x for x in after - before if not x.startswith(os.path.join(scratch, "out", "")))
                    if stray:
                        problem = "exit 0 but files were written outside out/: " + ", ".join(stray)[:200]
                    elif bad_number.search(p.stdout):
                        problem = "exit 0 with NaN or infinity in its output: " + bad_number.search(p.stdout).group(0)
                    elif p.stderr:
                        problem = "exit 0 with stderr: " + p.stderr[:200]
                else:
                    problem = f"exit {p.returncode}: {p.stderr.strip()[:300]}"
                left = sorted(x for x in snapshot(scratch) if TEMPORARY.search(x))
                if problem is None and left:
                    problem = f"exit {p.returncode} left temporaries behind: " + ", ".join(left)[:200]
            if problem:
                failed += 1
                quoted = " ".join(repr(x) if (not x or " " in x or "\n" in x) else x for x in args)
                label = f"directed case {case}" if case < directed else f"case {case - directed}"
                print(f"FAIL {label}: {problem}\n     reproduce: mixpe {quoted}"[:1200])
            else:
                passed += 1
            reset_out(scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

"""Sweeps as one job per design point, run by GNU parallel (locally or over ssh hosts) or as a Slurm array.

A sweep (`make area`, `make power`, `make dse`) first writes its job list, BUILD/sweep/<kind>/jobs.txt: one
self-contained shell command per design point that writes the point's own result file,
results/<name>.<key>.json, where key is a hash of everything that decides the result (the generated
Verilog, the scripts, the tool versions, the options). A point whose result file exists is not listed
again, so a rerun does only what changed or failed. Every job runs in the sweep directory from a
bundle of what it needs (the mixpe binary, the scripts, the cell library, testbench sources and
libraries, traces), unpacked there once; over ssh (HOSTS=file) each host gets the bundle once, runs
its jobs in ~/mixpe-sweep-<kind> and returns each job's result and log. The same jobs.txt runs as a
Slurm array (slurm_array.sbatch, one line per task). Failed or timed-out jobs are
recorded in the job log with their command and log file; the sweep goes on, the summary names them,
and the next run retries only them.
"""
import hashlib
import io
import json
import os
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tarfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def digest(*parts):
    """A hex key of byte strings, strings and files (paths given as ('file', path))."""
    h = hashlib.sha256()
    for p in parts:
        if isinstance(p, tuple) and p[0] == "file":
            h.update(open(p[1], "rb").read())
        else:
            h.update(p if isinstance(p, bytes) else str(p).encode())
        h.update(b"\0")
    return h.hexdigest()


def tool_versions(tools):
    """The tools' own version lines: part of every key (a new Yosys redoes the synthesis)."""
    flags = {"yosys": ["-V"], "sta": ["-version"], "verilator": ["--version"], "iverilog": ["-V"]}
    out = []
    for t in tools:
        r = subprocess.run([t] + flags.get(t, ["--version"]), capture_output=True, text=True)
        out.append(f"{t}: {(r.stdout or r.stderr).splitlines()[0] if (r.stdout or r.stderr) else '?'}")
    return "\n".join(out)


class Sweep:
    """The jobs of one kind of sweep, in BUILD/sweep/<kind>/: a bundle (dest path -> source file), then
    jobs added with add(), then run() and results()."""

    def __init__(self, kind, build, bundle_files):
        self.kind = kind
        self.dir = os.path.abspath(os.path.join(build, "sweep", kind))
        os.makedirs(os.path.join(self.dir, "results"), exist_ok=True)
        os.makedirs(os.path.join(self.dir, "logs"), exist_ok=True)
        self.jobs = []      # (id, command) of the points without a result
        self.points = {}    # name -> id, every planned point
        self.bundle_id = self._bundle(bundle_files)

    def _bundle(self, files):
        """A deterministic tarball of the job's inputs, named by its hash, unpacked here for local jobs."""
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for dest in sorted(files):
                data = open(files[dest], "rb").read()
                info = tarfile.TarInfo(dest)
                info.size, info.mtime, info.mode = len(data), 0, 0o755 if os.access(files[dest], os.X_OK) else 0o644
                tar.addfile(info, io.BytesIO(data))
        data = buf.getvalue()
        bid = "bundle-" + hashlib.sha256(data).hexdigest()[:16]
        path = os.path.join(self.dir, bid + ".tar")
        if not os.path.exists(path):
            for old in os.listdir(self.dir):  # one bundle at a time
                if old.startswith("bundle-") or old.startswith(".unpacked-bundle-"):
                    os.remove(os.path.join(self.dir, old))
            open(path + ".tmp", "wb").write(data)
            os.replace(path + ".tmp", path)
        shutil.copy(os.path.join(HERE, "job.sh"), os.path.join(self.dir, "job.sh"))
        link = os.path.join(self.dir, "mixpe-sweep-" + self.kind)  # the ssh work dir, locally this dir
        if not os.path.islink(link):
            os.symlink(".", link)
        return bid

    def add(self, name, key, argv):
        """One point: argv runs in the sweep directory and writes results/<id>.json (its --out)."""
        jid = f"{name}.{key[:16]}"
        self.points[name] = jid
        if not os.path.exists(self.result_path(jid)):
            self.jobs.append((jid, argv + ["--out", f"results/{jid}.json"]))

    def result_path(self, jid):
        return os.path.join(self.dir, "results", jid + ".json")

    def line(self, jid, argv):
        """A job as jobs.txt has it: job.sh around the point's command."""
        return f"sh job.sh {self.bundle_id} {jid} {shlex.join(argv)}"

    def write_jobs(self):
        lines = [self.line(jid, argv) for jid, argv in self.jobs]
        text = "".join(line + "\n" for line in lines)
        path = os.path.join(self.dir, "jobs.txt")
        open(path + ".tmp", "w").write(text)
        os.replace(path + ".tmp", path)
        return path, hashlib.sha256(text.encode()).hexdigest()[:16]

    def run(self, jobs=2, hosts=None, timeout=None, slurm=False, dry_run=False):
        """Runs the jobs without a result; returns the failed ones [(id, exit, signal, command)]."""
        path, jobs_hash = self.write_jobs()
        n = len(self.jobs)
        print(f"{self.kind}: {len(self.points)} points, {len(self.points) - n} with results, {n} to run "
              f"({os.path.relpath(path)})", file=sys.stderr, flush=True)
        if slurm:
            print(f"{self.kind}: Slurm: cd {self.dir} && sbatch --array=1-{n} {os.path.join(HERE, 'slurm_array.sbatch')} "
                  f"jobs.txt   (then rerun this command to collect)", file=sys.stderr)
            return [(jid, None, None, "not run: submitted to Slurm") for jid, _ in self.jobs]
        if n == 0:
            return []
        if not shutil.which("parallel"):
            sys.exit(f"{self.kind}: GNU parallel is not installed: run `make setup`")
        # the job log belongs to this job list: an interrupted sweep resumes it (--resume-failed)
        joblog = f"joblog-{jobs_hash}.txt"
        cmd = ["parallel", "--joblog", joblog, "--resume-failed", "--halt", "never", "-j", str(jobs)]
        if sys.stderr.isatty():
            cmd.append("--bar")
        if timeout:
            cmd += ["--timeout", str(timeout)]
        if hosts:
            # each host: the bundle and job.sh once, jobs in ~/mixpe-sweep-<kind>, results and logs back
            ret = r"{= s/^sh job\.sh \S+ (\S+) .*/$1/ =}"
            # (--controlmaster: one ssh connection per host, reused: 0.23 s a job instead of 0.58 to localhost)
            cmd += ["--sshloginfile", os.path.abspath(hosts), "--controlmaster", "--wd", "mixpe-sweep-" + self.kind,
                    "--basefile", self.bundle_id + ".tar", "--basefile", "job.sh",
                    "--return", f"results/{ret}.json", "--return", f"logs/{ret}.log"]
        cmd += ["::::", "jobs.txt"]
        if dry_run:
            print(f"{self.kind}: dry run, from {self.dir}:\n  {shlex.join(cmd)}", file=sys.stderr)
            for jid, argv in self.jobs[:3]:
                print(f"  job: {self.line(jid, argv)}", file=sys.stderr)
            return []
        t0 = time.monotonic()
        subprocess.run(cmd, cwd=self.dir)
        print(f"{self.kind}: {n} jobs in {time.monotonic() - t0:.0f} s (job log: {os.path.join(self.dir, joblog)})",
              file=sys.stderr)
        return self.failures(joblog)

    def failures(self, joblog):
        """The jobs of this job list whose last attempt failed or timed out, or that left no result."""
        last = {}
        for line in open(os.path.join(self.dir, joblog)).read().splitlines()[1:]:
            f = line.split("\t")
            if len(f) >= 9:
                jid = re.match(r"sh job\.sh \S+ (\S+) ", f[8]).group(1)
                last[jid] = (int(f[6]), int(f[7]), f[8])
        out = []
        for jid, argv in self.jobs:
            exitval, sig, command = last.get(jid, (None, None, self.line(jid, argv)))
            if exitval != 0 or sig != 0 or not os.path.exists(self.result_path(jid)):
                out.append((jid, exitval, sig, command))
        return out

    def results(self):
        """name -> the result of every planned point that has one."""
        out = {}
        for name, jid in self.points.items():
            if os.path.exists(self.result_path(jid)):
                out[name] = json.load(open(self.result_path(jid)))
        return out

    def report_failures(self, failed):
        """Names each failed job with its command and log; True when there were any."""
        for jid, exitval, sig, command in failed:
            why = (f"timed out or killed (signal {sig})" if sig else f"exit {exitval}" if exitval is not None
                   else "not finished (the sweep was interrupted, or the job never started)")
            print(f"{self.kind}: FAILED {jid}: {why}\n  command: {command}\n  log: {os.path.join(self.dir, 'logs', jid + '.log')}",
                  file=sys.stderr)
        if failed:
            print(f"{self.kind}: {len(failed)} of {len(self.points)} points failed; the reports are not written. "
                  "Run the same command again to retry only them.", file=sys.stderr)
        return bool(failed)

    def run_all(self, a):
        """Runs the planned jobs with the sweep_args options `a`; returns every result, None when the
        jobs were only written (--slurm, --dry-run); exits naming the failed jobs."""
        failed = self.run(a.j, a.hosts, a.timeout, a.slurm, a.dry_run)
        if a.slurm or a.dry_run:
            return None
        if self.report_failures(failed):
            sys.exit(1)
        return self.results()


def package_files():
    """The flow package and the command lines that run it, by their paths in a bundle (a job runs
    `python3 scripts/area.py job ...`, which imports the package beside it)."""
    files = {f"scripts/{f}": os.path.join(ROOT, "scripts", f) for f in ("area.py", "power.py", "dse.py")}
    for f in sorted(os.listdir(HERE)):
        if os.path.isfile(os.path.join(HERE, f)):
            files[f"scripts/mixpe_flow/{f}"] = os.path.join(HERE, f)
    return files


def write_result(path, result, t0):
    """A job's result file, written last and atomically (a result file means success), with its cost:
    wall seconds and the peak memory of the job and its children."""
    mem = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    result = dict(result, cost={"seconds": round(time.monotonic() - t0, 2), "max_rss_mb": round(mem / 1024, 1),
                                "host": os.uname().nodename})
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    json.dump(result, open(path + ".tmp", "w"), indent=1)
    os.replace(path + ".tmp", path)


def commit():
    """The checkout's commit (`git describe --always --dirty`), for the stamps of the reports."""
    try:
        return subprocess.run(["git", "-C", os.path.dirname(os.path.abspath(__file__)), "describe", "--always",
                               "--dirty"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


def report_text(build, name, command, tables, made_at, ran=None, total=None):
    """Prints a flow's tables (a function that prints them) and keeps them as BUILD/reports/NAME.txt,
    stamped with the command and the commit the flow started at (made_at: commit() before its
    designs were generated) and, for a partial run (--only: `ran` of `total` points), how partial:
    `make results` gathers these files."""
    buf = io.StringIO()
    stdout, sys.stdout = sys.stdout, buf
    try:
        tables()
    finally:
        sys.stdout = stdout
    sys.stdout.write(buf.getvalue())
    partial = f" ({ran} of its {total} points: --only)" if ran is not None and ran < total else ""
    reports = os.path.join(build, "reports")
    os.makedirs(reports, exist_ok=True)
    with open(os.path.join(reports, name + ".txt"), "w") as f:
        f.write(f"made by `{command}`{partial} at commit {made_at} on {time.strftime('%Y-%m-%d')}\n\n" +
                buf.getvalue())


def cost_table(kind, rows, group=lambda r: r.get("block", "")):
    """What the points cost, per group (block kind): count, mean and largest seconds, largest memory."""
    groups = {}
    for r in rows:
        if "cost" in r:
            groups.setdefault(group(r), []).append(r["cost"])
    if not groups:
        return
    print(f"\n{kind}: cost per job (wall seconds on the host that ran it, peak memory of the job and its tools):")
    for g, cs in sorted(groups.items()):
        secs = [c["seconds"] for c in cs]
        print(f"  {g:<12} {len(cs):>4} jobs  mean {sum(secs) / len(secs):8.1f} s  max {max(secs):8.1f} s  "
              f"peak {max(c['max_rss_mb'] for c in cs):8.0f} MB  hosts {', '.join(sorted({c['host'] for c in cs}))}")


def sweep_args(ap):
    """The command-line options every sweep takes (make passes JOBS, HOSTS, TIMEOUT, SLURM)."""
    ap.add_argument("-j", type=int, default=2, help="jobs at once per host (GNU parallel -j)")
    ap.add_argument("--hosts", help="GNU parallel --sshloginfile: ':' is this machine, 'N/user@host' N jobs on host")
    ap.add_argument("--timeout", help="a job's time limit (GNU parallel --timeout: seconds, or e.g. 1h)")
    ap.add_argument("--slurm", action="store_true", help="write the job list and print the sbatch command")
    ap.add_argument("--dry-run", action="store_true", help="write the job list and print the parallel command")

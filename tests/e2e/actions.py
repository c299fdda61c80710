"""A small stand-in for GitHub Actions: runs a workflow's jobs on this machine, step by step.

``run:`` blocks run in bash exactly as written (after ``${{ }}`` expressions are substituted,
as GitHub does before the shell sees them), with ``GITHUB_OUTPUT`` and ``GITHUB_STEP_SUMMARY``
pointed at files. The few actions the workflows use are
emulated: checkout (a clone of the test's origin repository, shallow unless ``fetch-depth: 0``),
setup-python (nothing: this venv's bench is on PATH), upload/download-artifact (folders).
Anything else, an unknown action or an expression this evaluator does not know, fails the
test: the workflow and this runner must keep in step.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
ATOM = re.compile(r"^([A-Za-z_][\w.-]*)\s*(==|!=)\s*'([^']*)'$")
BIN = str(Path(sys.executable).parent)
ARTIFACT_URL = "https://github.com/owner/repo/actions/runs/1/artifacts/{n}"


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


@dataclass
class StepResult:
    name: str
    ran: bool
    code: int = 0
    stdout: str = ""
    stderr: str = ""


@dataclass
class JobResult:
    steps: list[StepResult] = field(default_factory=list)
    summary: str = ""

    @property
    def code(self) -> int:
        return next((s.code for s in self.steps if s.code), 0)

    def step(self, name: str) -> StepResult:
        return next(s for s in self.steps if s.name == name)

    @property
    def log(self) -> str:
        return "".join(s.stdout + s.stderr for s in self.steps)


@dataclass
class Actions:
    """One workflow run: its context, its artifacts, where its jobs check the code out."""

    origin: Path
    root: Path
    context: dict[str, Any]
    skip: frozenset[str] = frozenset()  # set-up steps (installing) this machine has done
    path: tuple[Path, ...] = ()  # put first on PATH (stand-ins for tools such as gh)
    artifacts: dict[str, Path] = field(default_factory=dict)

    # -- expressions -------------------------------------------------------------------------

    def value(self, path: str, scope: dict[str, Any]) -> Any:
        found: Any = scope
        for part in path.split("."):
            if not isinstance(found, dict) or part not in found:
                raise AssertionError(f"unknown expression value {path!r}")
            found = found[part]
        return found

    def evaluate(self, expression: str, scope: dict[str, Any]) -> Any:
        text = EXPRESSION.sub(lambda m: m.group(1), expression.strip())
        if "(" in text.replace("cancelled()", ""):
            raise AssertionError(f"this runner does not evaluate parentheses: {expression!r}")
        # && binds tighter than ||, as in GitHub's expressions.
        alternatives = [
            [self._atom(part.strip(), scope) for part in either.split("&&")]
            for either in text.split("||")
        ]
        if len(alternatives) == 1 and len(alternatives[0]) == 1:
            return alternatives[0][0]  # a single value keeps its type
        return any(all(parts) for parts in alternatives)

    def _atom(self, text: str, scope: dict[str, Any]) -> Any:
        if text == "!cancelled()":
            return True
        compared = ATOM.match(text)
        if compared:
            left, op, right = compared.groups()
            equal = str(self.value(left, scope)) == right
            return equal if op == "==" else not equal
        if re.fullmatch(r"[A-Za-z_][\w.-]*", text):
            return self.value(text, scope)
        raise AssertionError(f"this runner cannot evaluate {text!r}")

    def substitute(self, text: str, scope: dict[str, Any]) -> str:
        return EXPRESSION.sub(lambda m: str(self.evaluate(m.group(1), scope)), text)

    # -- jobs ----------------------------------------------------------------------------------

    def run_job(
        self, workflow: dict[str, Any], job_id: str, matrix: dict[str, Any] | None = None
    ) -> JobResult:
        job = workflow["jobs"][job_id]
        scope = {**self.context, "matrix": matrix or {}, "steps": {}, "env": {}}
        defined = workflow.get("env", {})
        scope["env"] = {k: self.substitute(str(v), scope) for k, v in defined.items()}
        workspace = self.root / f"{job_id}-{'-'.join(map(str, (matrix or {}).values()))}"
        result = JobResult()
        for step in job["steps"]:
            name = step.get("name") or step.get("uses") or step["run"].splitlines()[0]
            if "if" in step and not self.evaluate(str(step["if"]), scope):
                result.steps.append(StepResult(name, ran=False))
                continue
            if name in self.skip:
                result.steps.append(StepResult(name, ran=False))
                continue
            done = self._step(step, name, scope, workspace, result)
            result.steps.append(done)
            if done.code:
                break  # a failed step fails the job; later steps (no always()) do not run
        return result

    def _step(
        self,
        step: dict[str, Any],
        name: str,
        scope: dict[str, Any],
        workspace: Path,
        job: JobResult,
    ) -> StepResult:
        env = {**scope["env"]}
        env.update({k: self.substitute(str(v), scope) for k, v in step.get("env", {}).items()})
        outputs: dict[str, str] = {}
        if "uses" in step:
            inputs = {k: self.substitute(str(v), scope) for k, v in step.get("with", {}).items()}
            outputs = self._action(str(step["uses"]), inputs, workspace)
            done = StepResult(name, ran=True)
        else:
            done, outputs = self._shell(self.substitute(step["run"], scope), env, workspace, job)
            done.name = name
        if "id" in step:
            scope["steps"][step["id"]] = {"outputs": outputs}
        return done

    def _shell(
        self, script: str, env: dict[str, str], workspace: Path, job: JobResult
    ) -> tuple[StepResult, dict[str, str]]:
        files = workspace.parent / f"{workspace.name}-files"
        files.mkdir(exist_ok=True)
        output, summary = files / "output", files / "summary"
        output.write_text("")
        summary.write_text("")
        full_env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")},
            **env,
            "PATH": os.pathsep.join([*map(str, self.path), BIN, os.environ["PATH"]]),
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_REPOSITORY": "owner/repo",
            "GITHUB_SHA": str(self.context.get("github", {}).get("sha", "")),
            "GITHUB_REF": str(self.context.get("github", {}).get("ref", "")),
        }
        done = subprocess.run(
            ["bash", "-e", "-c", script], cwd=workspace, env=full_env,
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        job.summary += summary.read_text()
        outputs = dict(
            line.split("=", 1) for line in output.read_text().splitlines() if "=" in line
        )
        return StepResult("", True, done.returncode, done.stdout, done.stderr), outputs

    # -- actions -------------------------------------------------------------------------------

    def _action(self, uses: str, inputs: dict[str, str], workspace: Path) -> dict[str, str]:
        action = uses.split("@", 1)[0]
        if action == "actions/checkout":
            self._checkout(workspace, inputs)
        elif action == "actions/setup-python":
            pass  # this venv's Python and bench are on PATH
        elif action == "actions/upload-artifact":
            return self._upload(workspace, inputs)
        elif action == "actions/download-artifact":
            self._download(workspace, inputs)
        else:
            raise AssertionError(f"this runner does not emulate {uses}")
        return {}

    def _checkout(self, workspace: Path, inputs: dict[str, str]) -> None:
        depth = [] if inputs.get("fetch-depth") == "0" else ["--depth", "1"]
        sha = self.context["github"]["sha"]
        subprocess.run(
            ["git", "clone", "--quiet", "--no-checkout", *depth, self.origin.as_uri(),
             str(workspace)], check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        subprocess.run(
            ["git", "checkout", "--quiet", "--detach", sha], cwd=workspace, check=True,
            capture_output=True, timeout=60,
        )  # fmt: skip

    def _upload(self, workspace: Path, inputs: dict[str, str]) -> dict[str, str]:
        patterns = [p.strip() for p in inputs["path"].splitlines() if p.strip()]
        found = sorted({Path(f) for p in patterns for f in glob.glob(str(workspace / p))})
        files = [f for path in found for f in ([path] if path.is_file() else path.rglob("*"))]
        files = [f for f in files if f.is_file()]
        if not files:
            assert inputs.get("if-no-files-found") != "error", f"nothing to upload: {patterns}"
            return {}
        common = Path(os.path.commonpath([str(f.parent) for f in files]))
        target = self.root / "artifacts" / inputs["name"]
        assert not target.exists(), f"artifact {inputs['name']} uploaded twice"
        for f in files:
            (target / f.relative_to(common)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, target / f.relative_to(common))
        self.artifacts[inputs["name"]] = target
        n = len(self.artifacts)
        return {"artifact-id": str(n), "artifact-url": ARTIFACT_URL.format(n=n)}

    def _download(self, workspace: Path, inputs: dict[str, str]) -> None:
        into = workspace / inputs.get("path", ".")
        if "name" in inputs:
            shutil.copytree(self.artifacts[inputs["name"]], into, dirs_exist_ok=True)
            return
        names = [n for n in self.artifacts if fnmatch.fnmatchcase(n, inputs["pattern"])]
        assert names, f"no artifact matches {inputs['pattern']}"
        for name in names:
            shutil.copytree(self.artifacts[name], into / name, dirs_exist_ok=True)

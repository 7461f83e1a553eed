"""The ``cnnguide`` command: its numbers are the models' numbers, and bad input never shows a
traceback (one line on stderr, status 2), in-process and as a real process."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

import cnnguide
from cnnguide import catalog
from cnnguide.cli import DIAGRAMS, main
from cnnguide.render.labels import number
from conftest import ENV, ROOT


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_names_every_model_in_either_language_position(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == catalog.names()
    # --lang works before and after the command (the module docstring writes it after)
    before, after = run(capsys, "--lang", "ko", "list")[1], run(capsys, "list", "--lang", "ko")[1]
    assert before == after and catalog.model("lenet5").summary["ko"] in after


def test_summary_in_korean(capsys):
    code, out, _ = run(capsys, "summary", "lenet5", "--framework", "torch", "--lang", "ko")
    assert code == 0 and "파라미터" in out and "61,706" in out


def test_compare_shows_both_frameworks_their_agreement_and_the_papers_figures(capsys):
    code, out, _ = run(capsys, "compare", "lenet5")
    assert code == 0
    for fw in ("keras", "torch"):
        view = cnnguide.summarize(cnnguide.build("lenet5", fw))
        row = f"| {fw} | {number(view.params)} | {number(view.trainable)} | {number(view.non_trainable)} | {number(view.macs)} |"
        assert row in out
    assert "agree layer by layer" in out
    study = catalog.study(catalog.model("lenet5").study)
    assert study.paper.cite() in out
    shown = [fig for fig in study.figures if fig.target(study) and fig.target(study)[0] == "lenet5"]
    assert shown
    for fig in shown:
        assert f"| {fig.key} | {number(int(fig.value))} |" in out
        assert fig.source in out
    # C1 is an ordinary layer: our count must be the paper's, and the table says so
    assert "| C1.params | 156 | trainable parameters | 156 | exact |" in out


def test_compare_judges_figures_by_the_sites_rule(capsys):
    """The CLI's verdicts are the site's (cnnguide.docs.kit.verdict): GoogLeNet's parameters are
    within the paper's tolerance, its depth exact, and no figure of this model is left empty."""
    code, out, _ = run(capsys, "compare", "googlenet", "--lang", "en")
    assert code == 0
    rows = {line.split("|")[1].strip(): line for line in out.splitlines() if line.startswith("| googlenet.")}
    assert "within tolerance" in rows["googlenet.params"] and "| 6,998,552 |" in rows["googlenet.params"]
    assert "exact" in rows["googlenet.depth"] and "within tolerance" in rows["googlenet.macs"]
    assert "e+" not in out and "differs by design" not in out


def test_compare_exits_1_when_the_frameworks_disagree(capsys, monkeypatch):
    real_build = cnnguide.build

    def relu_torch(name, framework="keras", **options):  # a PyTorch port that drifted to ReLU
        return real_build(name, framework, **({"activation": "relu"} if framework == "torch" else {}))

    monkeypatch.setattr(cnnguide, "build", relu_torch)
    code, out, _ = run(capsys, "compare", "lenet5")
    assert code == 1 and "disagree" in out and "relu" in out


def test_diagram_says_it_is_not_available_without_the_renderer(capsys, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, DIAGRAMS, None)  # makes the import fail as if it did not exist
    target = tmp_path / "lenet5.svg"
    code, out, err = run(capsys, "diagram", "lenet5", "-o", str(target))
    assert code == 2 and not target.exists()
    assert err == f"cnnguide: diagrams are not available yet ({DIAGRAMS}.svg(view, lang) does not exist).\n"


def test_diagram_writes_what_the_renderer_draws(capsys, monkeypatch, tmp_path):
    calls = []
    fake = types.ModuleType(DIAGRAMS)
    fake.svg = lambda view, lang: calls.append((view, lang)) or f'<svg id="{view.name}-{lang}"/>'
    monkeypatch.setitem(sys.modules, DIAGRAMS, fake)
    target = tmp_path / "lenet5.svg"
    code, out, _ = run(capsys, "diagram", "lenet5", "--framework", "torch", "--lang", "ko", "-o", str(target))
    assert code == 0 and out.strip() == str(target)
    (view, lang), = calls
    assert view.framework == "torch" and view.params == 61_706 and lang == "ko"
    assert target.read_text(encoding="utf-8") == f'<svg id="{view.name}-ko"/>'
    # a file that cannot be written is bad input too
    code, _, err = run(capsys, "diagram", "lenet5", "-o", str(tmp_path / "missing" / "x.svg"))
    assert code == 2 and err.startswith("cnnguide: cannot write") and len(err.splitlines()) == 1


def test_diagram_with_the_real_renderer(capsys, tmp_path):
    diagrams = pytest.importorskip(DIAGRAMS, reason=f"{DIAGRAMS} is not written yet")
    if not callable(getattr(diagrams, "svg", None)):
        pytest.skip(f"{DIAGRAMS} has no svg(view, lang) yet")
    target = tmp_path / "lenet5.svg"
    assert run(capsys, "diagram", "lenet5", "-o", str(target))[0] == 0
    assert "<svg" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("argv", [
    ["summary", "lenet6"],                         # unknown model (with a suggestion)
    ["summary", "lenet5", "--framework", "jax"],   # unknown framework
    ["compare", "resnet"],                         # unknown model, compare
    ["diagram", "nope", "-o", "x.svg"],            # unknown model, diagram
    ["frob"],                                      # unknown command (argparse)
    ["summary"],                                   # missing argument (argparse)
    ["diagram", "lenet5"],                         # missing -o (argparse)
    ["--lang", "fr", "list"],                      # bad choice (argparse)
], ids=lambda argv: " ".join(argv))
def test_bad_input_is_one_line_and_status_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("cnnguide")
    assert "Traceback" not in err and out == ""


@pytest.mark.slow
def test_as_a_real_process():
    def cli(*argv):
        return subprocess.run([sys.executable, "-m", "cnnguide.cli", *argv], cwd=ROOT, env=ENV,
                              capture_output=True, text=True, timeout=120)

    bad = cli("summary", "lenet6")
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.splitlines() == [bad.stderr.strip()] and "Did you mean 'lenet5'?" in bad.stderr
    good = cli("list")
    assert good.returncode == 0 and good.stdout.split()[0] == catalog.names()[0]

"""The comparison page: every network once, with the numbers of the views both frameworks agree
on; keras.io's depth and the page's claims checked against them; charts drawn the same every
time, in the page's language, with ids no two copies share; `cnnguide compare --all` and
`cnnguide profile` from the command line."""

from __future__ import annotations

import re

import pytest

from cnnguide import catalog
from cnnguide.catalog import published
from cnnguide.cli import main
from cnnguide.docs import comparison
from cnnguide.docs.context import set_language
from cnnguide.errors import CnnguideError
from cnnguide.render import charts
from conftest import site_views


def agreed(name):
    return site_views(name)[0]


def test_every_case_study_has_a_row_with_the_agreed_numbers():
    rows = comparison.rows(agreed)
    assert {catalog.model(r.name).study for r in rows} == set(catalog.STUDIES)
    assert len({r.name for r in rows}) == len(rows)
    for row in rows:
        keras_view, torch_view = site_views(row.name)
        assert (row.view.trainable, row.view.macs, row.view.depth) == \
               (torch_view.trainable, torch_view.macs, torch_view.depth)
    rated = {r.name for r in rows if r.accuracy}
    assert rated == {a.model for a in published.ACCURACY} == {r.name for r in rows} - {"lenet5"}


def test_a_keras_io_depth_that_no_longer_matches_fails_the_build(monkeypatch):
    monkeypatch.setitem(published.KERAS_IO_DEPTH, "vgg16", 17)
    monkeypatch.setattr(comparison, "KERAS_IO_DEPTH", published.KERAS_IO_DEPTH)
    with pytest.raises(CnnguideError, match="vgg16: keras.io's depth 17 is no longer our count"):
        comparison.rows(agreed)


def test_a_claim_that_no_longer_holds_fails_the_build(monkeypatch):
    rows = comparison.rows(agreed)
    comparison.check_claims(rows)
    shuffled = [comparison.Row(r.name, r.year, r.view, r.accuracy) for r in rows if r.name != "xception"]
    with pytest.raises(CnnguideError, match="Xception holds the most layer outputs"):
        comparison.check_claims(shuffled)


def test_the_terminal_table_is_the_pages_table():
    set_language("en")
    assert comparison.terminal_table("en") == comparison.table(agreed)


@pytest.mark.parametrize("lang, word", [("ko", "곱셈-누산"), ("en", "Multiply-accumulates")])
def test_charts_are_drawn_the_same_in_the_pages_language_with_unique_ids(lang, word):
    points = [charts.Point("a", 1.0, 2.0), charts.Point("b", 1.05, 2.05), charts.Point("c", 30.0, 0.5)]
    axes = dict(xlabel=word, ylabel="y", logx=True, logy=True)
    first = charts.figure("demo", points, alt="a chart", caption="c", **axes)
    assert first == charts.figure("demo", points, alt="a chart", caption="c", **axes)
    assert word in first and first.count("<svg") == 2 and 'role="img" aria-label="a chart"' in first
    ids = re.findall(r'id="([^"]+)"', first)
    assert len(ids) == len(set(ids)) and all(i.startswith(("demo-light-", "demo-dark-", "chart-demo")) for i in ids)
    referenced = set(re.findall(r"url\(#([^)]+)\)", first)) | set(re.findall(r'href="#([^"]+)"', first))
    assert referenced <= set(ids)


def test_labels_of_close_points_do_not_overlap():
    points = [charts.Point(name, 1.0 + i * 0.01, 1.0 + i * 0.01) for i, name in enumerate(("resnet50", "resnext50", "se_resnet50"))]
    svg = charts.scatter("close", points, xlabel="x", ylabel="y")
    placed = re.findall(r'<text[^>]*x="([\d.]+)" y="([\d.]+)"[^>]*>(resnet50|resnext50|se_resnet50)</text>', svg)
    assert len({(x, y) for x, y, _ in placed}) == 3


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_compare_all_prints_every_network(capsys):
    code, out, _ = run(capsys, "compare", "--all")
    assert code == 0
    assert all(f"`{name}`" in out for name in comparison.models())
    code, out, _ = run(capsys, "compare", "--all", "--lang", "ko")
    assert code == 0 and "학습 파라미터" in out


@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_profile_measures_latency_and_memory(capsys, framework):
    code, out, err = run(capsys, "profile", "lenet5", "--framework", framework, "--runs", "3", "--warmup", "1")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0] == f"lenet5 ({framework}, batch 1, 3 runs)"
    median, fastest, slowest = (float(v) for v in re.findall(r"([\d.]+) ms", lines[1]))
    assert 0 < fastest <= median <= slowest
    assert re.match(r"memory: peak \d+ MiB resident, \d+ MiB above the framework alone", lines[2])
    assert "run" in err  # the progress bar, on stderr


@pytest.mark.parametrize("argv", [
    ["profile", "lenet5", "--runs", "0"],
    ["profile", "lenet5", "--batch", "-1"],
    ["profile", "lenet6"],
    ["profile", "lenet5", "--framework", "jax"],
    ["profile", "lenet5", "--runs", "many"],  # argparse
    ["compare"],
    ["compare", "lenet5", "--all"],
], ids=lambda argv: " ".join(argv))
def test_bad_input_is_one_line_and_status_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_the_dark_copy_is_the_chart_drawn_dark():
    """charts.recolored stands for drawing again in the dark scheme: the same SVG but for the
    names matplotlib hashes from a marker's colour; the palettes pair one to one."""
    palette = lambda s: [charts.SCHEMES[s][k] for k in ("text", "grid", "point")] + list(charts.SCHEMES[s]["lines"])  # noqa: E731
    pairs = set(zip(palette("light"), palette("dark")))
    assert len({light for light, _ in pairs}) == len(pairs) == len({dark for _, dark in pairs})
    marker_names = lambda svg: re.sub(r"-m[0-9a-f]{10}\b", "-marker", svg)  # noqa: E731
    series = tuple(charts.Series(f"s{i}", (1, 2, 3), (1 + i, 2, 4 - i), color=i, dashed=i % 2 == 1) for i in range(4))
    for draw, data, axes in ((charts.scatter, [charts.Point("a", 1.0, 2.0), charts.Point("b", 30.0, 0.5)],
                              dict(xlabel="x", ylabel="y", logx=True)),
                             (charts.lines, [charts.Panel("Keras", series), charts.Panel("PyTorch", series)],
                              dict(xlabel="x", ylabel="y", logy=True))):
        drawn = draw("demo", data, scheme="dark", **axes)
        recolored = charts.recolored(draw("demo", data, scheme="light", **axes), "demo", "dark")
        assert marker_names(recolored) == marker_names(drawn)
        assert "light" not in recolored

"""`python -m ui.kiosk.render`: what a person types wrongly is said, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ui.kiosk import render

ROOT = Path(__file__).resolve().parents[2]


def test_the_variant_docs_kiosk_md_once_gave_is_refused_in_words(tmp_path):
    """docs/kiosk.md said `--variants large`: a KeyError traceback after Qt had started."""
    done = subprocess.run([sys.executable, "-m", "ui.kiosk.render", "--out", str(tmp_path),
                           "--variants", "large"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "--variants: unknown 'large'; choose from normal,larger,largest,contrast" in done.stderr
    assert not any(tmp_path.iterdir())  # nothing rendered


@pytest.mark.parametrize(("options", "said"), [
    (["--variants", "larger,huge"], "--variants: unknown 'huge'"),
    (["--variants", ","], "--variants: name at least one"),
    (["--langs", "fr"], "--langs: unknown 'fr'; choose from en,es"),
    (["--langs", "x" * 100_000], "--langs: unknown '" + "x" * 40 + "'"),
    (["--sizes", "1280by800"], "--sizes: '1280by800' is not WIDTHxHEIGHT"),
    (["--sizes", "1280x"], "--sizes: '1280x' is not WIDTHxHEIGHT"),
    (["--sizes=-1x800"], "--sizes: '-1x800' is not WIDTHxHEIGHT"),
    (["--sizes", "99999999x800"], "is not WIDTHxHEIGHT"),
    (["--sizes", "0x0"], "--sizes: '0x0' is not WIDTHxHEIGHT"),
])
def test_bad_options_are_said_with_what_would_do(tmp_path, capsys, options, said):
    with pytest.raises(SystemExit) as stopped:
        render.parse_args(["--out", str(tmp_path), *options])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert said in err
    assert len(err) < 2000  # a huge value is not echoed whole


def test_good_options_are_read_as_names_and_sizes(tmp_path):
    args = render.parse_args(["--out", str(tmp_path), "--sizes", "1024x768, 1920X1080",
                              "--langs", "es", "--variants", "largest,contrast"])
    assert args.sizes == [(1024, 768), (1920, 1080)]
    assert args.langs == ["es"] and args.variants == ["largest", "contrast"]


def test_a_definition_that_does_not_load_is_said_before_any_window(tmp_path, capsys):
    broken = tmp_path / "broken.yaml"
    broken.write_text("steps: [unclosed\n", encoding="utf-8")
    assert render.main(["--out", str(tmp_path / "out"), "--definition", str(broken)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    assert not (tmp_path / "out").exists()

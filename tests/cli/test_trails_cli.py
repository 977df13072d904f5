"""``jupitershine still --trails/--trail-span``: bad input is one line on stderr and exit status 2, before
anything is rendered or written."""

from __future__ import annotations

import pytest

from viewer.cli import main


@pytest.mark.parametrize(("args", "needle"), [
    (["--trails", "pluto"], "no trail for 'pluto'"),
    (["--trails", "juno:mars"], "unknown frame 'mars'"),
    (["--trails", "io:io"], "relative to itself"),
    (["--trails", "juno:io:jupiter"], "BODY or BODY:FRAME"),
    (["--trails", "juno:io", "--trail-span=-30min:0s"], "cannot be negative"),
    (["--trails", "juno:io", "--trail-span", "30min:10parsecs"], "PAST:FUTURE"),
    (["--trails", "juno:io", "--trail-span", "0s:0s"], "empty"),
    (["--trails", "juno:io", "--trail-span", "400d:0s"], "shorten --trail-span"),
    (["--trails", "juno:io", "--time", "2030-01-01T00:00:00", "--camera", "orbit:io:0:0:10000"],
     "does not cover"),
])
def test_bad_trails_are_one_line_exit_2(args, needle, tmp_path, capsys) -> None:
    out = tmp_path / "x.png"
    code = main(["still", *args, "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and needle in err, err
    assert "Traceback" not in err
    assert not out.exists()

"""Every command takes the same folder options, and a command run from
another folder says which folder it looked in."""

import subprocess
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[2]
DIGEST = ROOT / ".build" / "debug" / "digest"

COMMANDS = [
    ["check"], ["render"], ["report"], ["archive"], ["next-call"], ["preview"], ["serve"], ["send"],
    ["members", "status"], ["members", "sync"], ["members", "unsubscribe"], ["members", "resubscribe"],
    ["members", "verify-token"], ["bounces", "read"], ["state", "status"], ["state", "migrate"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_takes_data_templates_and_out(command):
    result = subprocess.run([str(DIGEST), *command, "--help"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for option in ["--data <folder>", "--templates <folder>", "--out <folder>"]:
        assert option in result.stdout, (command, option)


def test_report_from_another_folder_names_the_templates_folder_it_looked_for(tmp_path):
    out = tmp_path / "out"
    result = subprocess.run(
        [str(DIGEST), "report", "--period", "2019-06", "--data", str(ROOT / "data"), "--out", str(out)],
        cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 66, result.stdout + result.stderr
    said = result.stdout + result.stderr
    assert f"there is no templates folder at {tmp_path.resolve()}/templates" in said or \
        f"there is no templates folder at {tmp_path}/templates" in said, said
    assert "--templates" in said and "restore" not in said
    assert not out.exists()

    result = subprocess.run(
        [str(DIGEST), "report", "--period", "2019-06", "--data", str(ROOT / "data"), "--out", str(out),
         "--templates", str(ROOT / "templates")],
        cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    workbook = openpyxl.load_workbook(out / "2019-06" / "report.xlsx")
    assert workbook.sheetnames[0] == "Summary"

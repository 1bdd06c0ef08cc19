"""A bad curriculum file gets a clear error naming file, row and field; nothing half-loads."""

import json

import pytest
from click.testing import CliRunner

from corpus import CorpusError, load_curriculum
from corpus.__main__ import cli
from corpus.settings import DEFAULT_CORPUS


def _write(tmp_path, mutate):
    data = json.loads(DEFAULT_CORPUS.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _course(data, code):
    return next(c for c in data["courses"] if c["code"] == code)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: _course(d, "3.1.4").update(hours="六"), ["第 9 筆", "3.1.4", "hours", "整數"]),
        (lambda d: _course(d, "3.1.4").update(hours=-6), ["第 9 筆", "hours", "大於 0"]),
        (lambda d: _course(d, "1.1.1").pop("name"), ["第 1 筆", "name", "缺少"]),
        (lambda d: _course(d, "1.2.1").update(module=9), ["1.2.1", "module", "沒有模組 9"]),
        (lambda d: d["courses"].append(dict(_course(d, "2.1.1"))), ["2.1.1", "重複"]),
        (lambda d: _course(d, "4.1.4").update(replaces=["4.1.9"]), ["4.1.4", "replaces", "4.1.9"]),
        (lambda d: _course(d, "2.1.2").update(level="高級"), ["2.1.2", "level"]),
        (lambda d: d["role_paths"]["paths"]["會開發"]["入門"].append("9.9.9"), ["會開發", "9.9.9"]),
    ],
)
def test_bad_rows_are_named(tmp_path, mutate, expected):
    path = _write(tmp_path, mutate)
    with pytest.raises(CorpusError) as err:
        load_curriculum(path)
    message = str(err.value)
    assert message.startswith(f"{path.name}：") and str(path.parent) not in message  # the name only (issue 15.10)
    assert err.value.file == str(path)  # the full path stays available to logs
    for part in expected:
        assert part in message


def test_malformed_json_names_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"title": "x",\n  "courses": [,]}', encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        load_curriculum(path)
    assert "第 2 行" in str(err.value)


def test_missing_file_says_how_to_fix(tmp_path):
    with pytest.raises(CorpusError) as err:
        load_curriculum(tmp_path / "none.json")
    assert "ADVISOR_CORPUS" in str(err.value)


def test_course_dropped_from_every_path_is_reported(tmp_path):
    def drop(d):
        for stages in d["role_paths"]["paths"].values():
            for codes in stages.values():
                if "3.3.1" in codes:
                    codes.remove("3.3.1")

    with pytest.raises(CorpusError) as err:
        load_curriculum(_write(tmp_path, drop))
    assert "3.3.1" in str(err.value) and "學習路徑" in str(err.value)


def test_cli_validate_and_show(curriculum):
    runner = CliRunner()
    result = runner.invoke(cli, ["validate"])
    assert result.exit_code == 0 and "41 門課" in result.output
    result = runner.invoke(cli, ["show", "3.1.4"])
    assert result.exit_code == 0
    assert "委外AI系統規格制定與驗收實務（6 小時）" in result.output and "PBL" in result.output
    result = runner.invoke(cli, ["show", "9.9.9"])
    assert result.exit_code != 0 and "沒有代碼為 9.9.9 的課程" in result.output
    assert "Traceback" not in result.output

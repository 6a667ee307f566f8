from pathlib import Path

import pytest

from storyline.errors import StorylineError
from storyline.settings import SETTINGS, Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    for setting in SETTINGS:
        assert f"| `{setting.name}` |" in README, setting.name
        assert setting.help in README, setting.name


def test_layering(tmp_path, monkeypatch):
    config = tmp_path / "storyline.toml"
    config.write_text('[storyline]\nbatch_size = 8\nstory_threshold = 0.4\n', encoding="utf-8")
    monkeypatch.setenv("STORYLINE_BATCH_SIZE", "16")
    settings = Settings(config=config, story_threshold=None)
    assert settings.batch_size == 16  # environment beats the file
    assert settings.story_threshold == 0.4  # file beats the default
    assert Settings(config=config, batch_size=4).batch_size == 4  # flags beat everything


def test_bad_values_are_clear_errors(monkeypatch):
    monkeypatch.setenv("STORYLINE_BATCH_SIZE", "many")
    with pytest.raises(StorylineError) as info:
        Settings()
    assert "batch_size" in str(info.value)

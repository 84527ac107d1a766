"""The shipped video tutorials: at least three, each a small WebM with WebVTT captions."""

import re

import pytest
from django.contrib.staticfiles import finders

from saypro.academy import content as shipped
from saypro.academy.content import ContentError
from saypro.knowledge.tutorials import TUTORIALS_DIR, load_tutorials

CUE = re.compile(r"^(\d\d):(\d\d):(\d\d\.\d{3}) --> (\d\d):(\d\d):(\d\d\.\d{3})$")


@pytest.fixture(scope="module")
def content():
    return shipped.load_content()


@pytest.fixture(scope="module")
def tutorials(content):
    return load_tutorials(content)


def _seconds(hours: str, minutes: str, seconds: str) -> float:
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def test_at_least_three_video_tutorials_ship(tutorials, content):
    assert len(tutorials) >= 3
    articles = {article.slug for article in content.articles}
    for tutorial in tutorials:
        article = tutorial.article
        assert article.kind == "video"
        assert 250 <= article.word_count <= 800, (article.slug, article.word_count)
        assert article.updated.year == 2026
        assert set(article.related) <= articles, article.slug
        assert "## What you see in the video" in article.body, article.slug


def test_the_videos_are_small_webm_files_served_as_static_files(tutorials):
    total = 0
    for tutorial in tutorials:
        data = tutorial.video_path.read_bytes()
        assert data[:4] == b"\x1a\x45\xdf\xa3", tutorial.video_file  # Matroska / WebM
        assert b"webm" in data[:64]
        assert len(data) < 1_500_000, tutorial.video_file
        total += len(data)
        assert finders.find(tutorial.video_file) == str(tutorial.video_path)
    assert total < 5_000_000


def test_every_video_has_captions_step_by_step(tutorials):
    for tutorial in tutorials:
        lines = tutorial.captions_path.read_text(encoding="utf-8").splitlines()
        assert lines[0] == "WEBVTT"
        cues = [CUE.match(line) for line in lines if "-->" in line]
        assert len(cues) >= 5 and all(cues), tutorial.video_file
        times = [(_seconds(*cue.groups()[:3]), _seconds(*cue.groups()[3:])) for cue in cues]
        assert times[0][0] == 0
        assert all(start < end for start, end in times)
        assert all(times[i][1] == times[i + 1][0] for i in range(len(times) - 1))
        assert 20 <= times[-1][1] <= 60, (tutorial.video_file, times[-1][1])  # seconds long
        texts = [lines[lines.index(line) + 1] for line in lines if "-->" in line]
        assert all(len(text.split()) >= 5 for text in texts), tutorial.video_file


def test_a_tutorial_without_its_video_is_refused(tmp_path, content):
    source = TUTORIALS_DIR / "answer-a-review-with-the-coach.md"
    (tmp_path / "not-recorded-yet.md").write_text(source.read_text(encoding="utf-8"))
    with pytest.raises(ContentError, match=r"not-recorded-yet\.webm is missing"):
        load_tutorials(content, tmp_path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('category = "response-coach"', 'category = "nowhere"'), "unknown category"),
        (("tags = [", "colour = 1\ntags = ["), "unknown field"),
        (('"using-the-response-coach"', '"no-such-article"'), "unknown article"),
    ],
)
def test_a_faulty_tutorial_names_the_field(tmp_path, content, change, message):
    source = (TUTORIALS_DIR / "answer-a-review-with-the-coach.md").read_text(encoding="utf-8")
    (tmp_path / "answer-a-review-with-the-coach.md").write_text(source.replace(*change))
    with pytest.raises(ContentError, match=message):
        load_tutorials(content, tmp_path)


def test_the_recorder_times_each_caption_until_the_next_step():
    from saypro.knowledge.tutorials.record import Scene

    scene = Scene(page=None, steps=[(0.0, "Open the queue."), (61.25, "Publish the answer.")])
    assert scene.captions(75.5).splitlines() == [
        "WEBVTT",
        "",
        "1",
        "00:00:00.000 --> 00:01:01.250",
        "Open the queue.",
        "",
        "2",
        "00:01:01.250 --> 00:01:15.500",
        "Publish the answer.",
    ]

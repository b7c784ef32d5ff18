"""prepare_file/prepare/load_manifest: the four shipped files become 13 sources; bad input is refused."""

import dataclasses
import datetime
import hashlib
import shutil
from functools import cache
from pathlib import Path

import pytest
import yaml

from timeline.ingest.clean import MAX_FILE_BYTES
from timeline.ingest.errors import IngestError
from timeline.ingest.prepare import PreparedSource, load_manifest, prepare, prepare_file

SOURCES = Path(__file__).resolve().parent.parent / "fixtures" / "sources"
ARTICLE = "003_ce7abde17486f85c"
INDEX = "002_ae535f2630d2a20f"


@cache
def all_sources() -> tuple[PreparedSource, ...]:
    return tuple(source for path in sorted(SOURCES.glob("*.txt")) for source in prepare_file(path))


def by_key(key: str) -> PreparedSource:
    return next(source for source in all_sources() if source.key == key)


def manifest_data(stem: str) -> dict:
    return yaml.safe_load((SOURCES / f"{stem}.yaml").read_text(encoding="utf-8"))


def test_four_files_make_thirteen_sources_in_file_order():
    assert [source.key for source in all_sources()] == [
        "lianchaifu-q-star",
        "netease-openai-idealists",
        *[f"fisherdaddy-{number:02d}" for number in range(1, 11)],
        "q-star-exposed",
    ]


def test_every_manifest_matches_its_file():
    """Each shipped file has a manifest whose sha256 is the file's, so nothing was edited after review."""
    texts = sorted(SOURCES.glob("*.txt"))
    assert len(texts) == 4
    for path in texts:
        manifest = load_manifest(path.with_suffix(".yaml"))
        assert manifest["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("key", "title", "publisher", "language", "published", "reference_date"),
    [
        (
            "lianchaifu-q-star",
            "宫斗大戏背后的那个神秘项目究竟是什么",
            "链财富",
            "zh-Hans",
            datetime.date(2025, 9, 23),
            datetime.date(2023, 11, 23),
        ),
        (
            "netease-openai-idealists",
            "OpenAI再陷宮斗:理想主義者是如何被擊碎的?",
            "遠川科技評論",
            "zh-Hant",
            None,
            datetime.date(2024, 5, 20),
        ),
        (
            "q-star-exposed",
            "OpenAI 神秘新模型 Q* 曝光!太强大让人警惕:网友称天网雏形",
            "快科技",
            "zh-Hans",
            None,
            datetime.date(2023, 11, 24),
        ),
        (
            "fisherdaddy-06",
            "2025 年国际数学奥林匹克竞赛 • Rishi Mehta",
            "fisherdaddy",
            "zh-Hans",
            datetime.date(2025, 8, 12),
            datetime.date(2025, 8, 12),
        ),
    ],
)
def test_source_metadata(key, title, publisher, language, published, reference_date):
    source = by_key(key)
    assert (source.title, source.publisher, source.language) == (title, publisher, language)
    assert (source.published, source.reference_date) == (published, reference_date)
    if published != reference_date:
        assert source.reference_note


def test_the_shuffled_headline_is_the_same_characters():
    """000 prints its headline with shuffled characters; the manifest's title uses exactly those characters."""
    manifest = load_manifest(SOURCES / "000_88f0250da66b7718.yaml")
    assert sorted(manifest["title"]) == sorted(manifest["title_as_printed"])
    assert manifest["title_as_printed"] in by_key("lianchaifu-q-star").raw_text


def test_posts_share_the_file_but_not_the_text():
    posts = [source for source in all_sources() if source.key.startswith("fisherdaddy-")]
    assert {source.file_name for source in posts} == {f"{INDEX}.txt"}
    assert {source.author for source in posts} == {"fisherdaddy"}
    assert len({source.cleaned_text for source in posts}) == 10
    assert by_key("fisherdaddy-01").published == datetime.date(2025, 8, 18)
    assert by_key("fisherdaddy-05").title.startswith("分享一下 ChatGPT 的 Study Mode")
    assert all(source.reference_note == "" for source in posts)
    for source in posts:
        assert source.raw_text[source.offset_map[0][1] :].startswith(source.cleaned_text[:20])


def test_prepared_sources_are_frozen_and_complete():
    source = by_key("q-star-exposed")
    with pytest.raises(dataclasses.FrozenInstanceError):
        source.key = "other"  # type: ignore[misc]
    assert source.raw_sha256 == hashlib.sha256(source.raw_text.encode("utf-8")).hexdigest()
    assert source.file_name == f"{ARTICLE}.txt"
    assert isinstance(source.references, tuple) and len(source.references) == 6


def test_prepare_file_accepts_the_text_the_manifest_or_the_stem():
    keys = [source.key for source in prepare_file(SOURCES / f"{ARTICLE}.yaml")]
    assert keys == [source.key for source in prepare_file(SOURCES / ARTICLE)] == ["q-star-exposed"]


def test_prepare_is_deterministic():
    raw = (SOURCES / f"{INDEX}.txt").read_bytes()
    manifest = load_manifest(SOURCES / f"{INDEX}.yaml")
    assert prepare(raw, manifest, file_name=f"{INDEX}.txt") == prepare(
        raw, manifest, file_name=f"{INDEX}.txt"
    )


# --- refusals ----------------------------------------------------------------------------------------------


def refuse(raw: bytes, manifest: dict, match: str) -> str:
    with pytest.raises(IngestError, match=match) as excinfo:
        prepare(raw, manifest, file_name="bad.txt")
    return str(excinfo.value)


def with_sha(raw: bytes, **changes) -> dict:
    manifest = manifest_data(ARTICLE) | {"sha256": hashlib.sha256(raw).hexdigest()}
    manifest.update(changes)
    return manifest


@pytest.mark.parametrize(
    ("raw", "match"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00", "binary content"),
        ("标题\n\n正文。".encode("gb18030"), "not UTF-8"),
        (b"x" * (MAX_FILE_BYTES + 1), "limit"),
    ],
)
def test_bad_bytes_are_refused(raw, match):
    message = refuse(raw, with_sha(raw), match)
    assert message.startswith("bad.txt: ")


def test_sha256_mismatch_is_refused():
    raw = (SOURCES / f"{ARTICLE}.txt").read_bytes() + b"\nedited"
    refuse(raw, manifest_data(ARTICLE), "sha256")


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"key": None}, "missing required field"),
        ({"key": "Q Star!"}, "lowercase letters"),
        ({"language": "zh-CN"}, "'language' must be one of"),
        ({"published": "2023-13-01"}, "not a real date"),
        ({"published": "23 Nov 2023"}, "YYYY-MM-DD"),
        ({"reference_date": None}, "'reference_date' is required"),
        ({"reference_note": ""}, "reference_note"),
        ({"sha256": "abc"}, "64 hexadecimal digits"),
        ({"original_url": "example.com"}, "http"),
        ({"kind": "magazine"}, "'kind' must be one of"),
        ({"titel": "typo"}, "unknown field"),
        ({"publisher": "  "}, "must not be blank"),
        ({"keep_lines": "not a list"}, "list of non-blank lines"),
        ({"title_as_printed": "a title that is not in the text"}, "not a line of the text"),
    ],
)
def test_bad_manifests_are_refused(change, match):
    raw = (SOURCES / f"{ARTICLE}.txt").read_bytes()
    manifest = with_sha(raw, **change)
    if change == {"key": None}:
        del manifest["key"]
    refuse(raw, manifest, match)


def test_manifest_that_is_not_a_mapping_is_refused():
    with pytest.raises(IngestError, match="mapping"):
        prepare(b"text", ["a", "list"], file_name="bad.txt")  # type: ignore[arg-type]


def test_index_manifest_must_match_the_page():
    raw = (SOURCES / f"{INDEX}.txt").read_bytes()
    manifest = manifest_data(INDEX)
    fewer = manifest | {"posts": manifest["posts"][:9]}
    refuse(raw, fewer, "holds 10 posts but the manifest lists 9")
    wrong_title = manifest | {
        "posts": [{**manifest["posts"][0], "expected_title": "Other"}, *manifest["posts"][1:]]
    }
    refuse(raw, wrong_title, "titled")
    wrong_date = manifest | {
        "posts": [{**manifest["posts"][0], "expected_published": "2025-08-13"}, *manifest["posts"][1:]]
    }
    refuse(raw, wrong_date, "dated 2025-08-18")
    duplicate = manifest | {"posts": [manifest["posts"][0], *manifest["posts"][:9]]}
    refuse(raw, duplicate, "unique")


def test_missing_and_malformed_manifest_files(tmp_path):
    shutil.copy(SOURCES / f"{ARTICLE}.txt", tmp_path / "a.txt")
    with pytest.raises(IngestError, match="manifest not found"):
        prepare_file(tmp_path / "a.txt")
    (tmp_path / "a.yaml").write_text("kind: article\nkey: [unclosed\n", encoding="utf-8")
    with pytest.raises(IngestError, match="not valid YAML"):
        prepare_file(tmp_path / "a.txt")
    (tmp_path / "a.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(IngestError, match="mapping"):
        prepare_file(tmp_path / "a.txt")


def test_missing_and_oversized_source_files(tmp_path):
    with pytest.raises(IngestError, match="source file not found"):
        prepare_file(tmp_path / "nothing.txt")
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(IngestError, match="limit"):
        prepare_file(big)

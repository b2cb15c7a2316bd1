"""Unit tests of loaders/read.py: finding files and decoding them safely."""
from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from policygraph.errors import InputError
from policygraph.loaders.read import LoadFailure, find_files, read_file, read_files


def test_folders_expand_recursively_in_sorted_order(tmp_path):
    (tmp_path / "b").mkdir()
    for name in ("b/2.txt", "a.md", "c.html", "skip.pdf", ".hidden.txt"):
        (tmp_path / name).write_text("Some text here.")
    found = [p.relative_to(tmp_path).as_posix() for p in find_files([tmp_path])]
    assert found == ["a.md", "c.html", "b/2.txt"]


def test_missing_path_and_empty_folder_are_failures(tmp_path):
    (tmp_path / "empty").mkdir()
    out = list(find_files([tmp_path / "nope.txt", tmp_path / "empty"]))
    assert all(isinstance(f, LoadFailure) for f in out)
    assert "no such file" in out[0].message and "no documents" in out[1].message


@pytest.mark.parametrize("data, needle", [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    ("Gyeonggi".encode("cp949") + b"\xb0\xe6\xb1\xe2", "not UTF-8"),
])
def test_bad_files_raise_one_line_input_errors(tmp_path, data, needle):
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as exc:
        read_file(path)
    assert needle in str(exc.value) and str(path) in str(exc.value) and "\n" not in str(exc.value)


def test_utf16_with_bom_and_utf8_bom_decode(tmp_path):
    (tmp_path / "a.txt").write_bytes(codecs.BOM_UTF16_LE + "Suwon City".encode("utf-16-le"))
    (tmp_path / "b.txt").write_bytes(codecs.BOM_UTF8 + "Busan".encode())
    assert read_file(tmp_path / "a.txt").text == "Suwon City"
    assert read_file(tmp_path / "b.txt").text == "Busan"


def test_control_characters_are_dropped(tmp_path):
    (tmp_path / "a.txt").write_bytes("Seoul\x07 and\x1b Busan\tok\n".encode())
    assert read_file(tmp_path / "a.txt").text == "Seoul and Busan\tok\n"


def test_size_limit(tmp_path):
    (tmp_path / "big.txt").write_text("x" * 5000)
    with pytest.raises(InputError, match="size limit"):
        read_file(tmp_path / "big.txt", max_bytes=1000)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("text")
    path.chmod(0)
    with pytest.raises(InputError, match="permission denied"):
        read_file(path)


def test_read_files_keeps_going_after_a_bad_file(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "b.txt").write_text("Busan Mayor Park Hyung-joon spoke.")
    out = list(read_files([tmp_path]))
    assert isinstance(out[0], LoadFailure) and out[1].doc_id == "b"


def test_doc_id_is_the_file_stem_and_hash_is_of_the_bytes(tmp_path):
    (tmp_path / "001_abc.txt").write_text("Text.")
    doc = read_file(tmp_path / "001_abc.txt")
    assert doc.doc_id == "001_abc" and len(doc.content_hash) == 64


def test_symlink_loops_pipes_and_devices_are_one_line_failures(tmp_path):
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would block the load for ever
    (tmp_path / "zero.txt").symlink_to("/dev/zero")  # reading it would never end
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path)  # a folder loop: not followed
    out = {Path(f.path).name: f.message for f in read_files([tmp_path])}
    assert "loops back on itself" in out["loop.txt"]
    assert "not a regular file" in out["pipe.txt"] and "not a regular file" in out["zero.txt"]
    assert [f.message for f in find_files([tmp_path / "loop.txt"])] == [
        "a symbolic link that leads nowhere or loops: fix or remove the link"]

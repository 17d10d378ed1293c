from conftest import read

from bot.inputs import (
    find_links,
    normalise_url,
    reads_like_article,
    requests_from_message,
)
from bot.models import AttachmentInfo, UrlRequest


def test_links_are_found_normalised_and_media_skipped():
    content = ("Read <https://News.Example.com/a?utm_source=tw&id=7#top> and https://youtu.be/x "
               "and https://cdn.example.com/pic.JPG, also (https://news.example.com/b).")
    assert find_links(content) == ["https://news.example.com/a?id=7", "https://news.example.com/b"]


def test_normalise_url_strips_tracking_parameters():
    assert normalise_url("https://www.bbc.co.uk/news/x?at_medium=RSS&fbclid=abc&page=2") == (
        "https://www.bbc.co.uk/news/x?page=2")


def test_links_in_code_blocks_are_ignored():
    assert find_links("```https://example.com/in-code```") == []


def test_pasted_article_detection():
    assert reads_like_article(read("bbc-style-paste.txt"), 150)
    assert not reads_like_article("lol " * 200, 150)
    assert not reads_like_article("Short chat. Nothing more.", 150)


def test_message_requests_and_the_three_link_cap():
    content = " ".join(f"https://news.example.com/{i}" for i in range(5))
    requests, left_out = requests_from_message(content, [], explicit=False)
    assert requests == [UrlRequest(f"https://news.example.com/{i}") for i in range(3)]
    assert left_out == 2


def test_txt_attachment_is_a_request_and_images_are_not():
    files = [AttachmentInfo("message.txt", 100, "https://cdn/x", "text/plain; charset=utf-8"),
             AttachmentInfo("photo.png", 100, "https://cdn/y", "image/png")]
    requests, _ = requests_from_message("", files, explicit=False)
    assert [r.label for r in requests] == ["message.txt"]

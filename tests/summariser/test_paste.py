"""Pasted pages -> body without chrome, title, and headline candidates."""

import gzip
import textwrap

import pytest
from conftest import DATA, read

from summariser.page_text import page_text
from summariser.paste import ABOVE_HEADLINE, continued, is_credit, parse_paste, read_lines, unwrap

CHROME = ("Picture: PA", "By Megan White", "Read more", "More Latest News", "13:52",
          "offsite hearing", "Allison Pearson", "Met Office", "Exclusive", "Coleen")


def test_seed_sample_body_has_no_chrome():
    article = parse_paste(read("lbc-amnesty-navalny.txt"))
    body = article.text
    for chrome in CHROME:
        assert chrome not in body, chrome
    assert article.paragraphs[0].startswith("Amnesty has stripped Russian opposition activist")
    assert article.paragraphs[-1].startswith("“We campaign for the release")
    # the caption repeated the second paragraph; the body keeps it exactly once
    assert body.count("The organisation did not disclose") == 1


def test_seed_sample_title_date_and_byline():
    article = parse_paste(read("lbc-amnesty-navalny.txt"))
    assert article.title == "Amnesty strips Alexei Navalny of 'prisoner of conscience' status"
    assert article.date == "25 February 2021, 13:52"
    assert article.byline == "By Megan White"


def test_seed_sample_read_more_and_latest_news_become_candidates():
    titles = [h.title for h in parse_paste(read("lbc-amnesty-navalny.txt")).candidates]
    assert titles[0] == "Russian opposition leader Alexei Navalny fined for defamation"
    assert "Coleen Rooney reveals she 'barely sees' husband Wayne following Rebekah Vardy's remarks" in titles
    assert not any("Picture" in t or t == "Exclusive" for t in titles)


def test_bbc_style_whole_page_paste():
    article = parse_paste(read("bbc-style-paste.txt"))
    assert article.title == "Leeds tram plan approved after decades of delay"
    assert article.byline.startswith("By Priya Natarajan")
    body = article.text
    for chrome in ("Skip to content", "Image source", "Image caption", "Related Topics",
                   "Copyright", "Share", "Storm Bert"):
        assert chrome not in body, chrome
    assert article.paragraphs[0].startswith("Leeds is to get a tram network")
    assert article.paragraphs[-1].startswith("The combined authority said it would hold")
    titles = [h.title for h in article.candidates]
    assert "Leeds mass transit scheme faces fresh delay over costs" in titles


def test_a_caption_with_its_credit_run_into_it_is_no_paragraph():
    # pages-postlight pl-0108 (The New York Times), pasted whole: the photo's caption and
    # "Credit...Ed Murray/…" on one line opened the summary; a German page's "(Foto: …de)"
    caption = ("Ahmad Khan Rahami splayed out next to a street in Linden, N.J., after he was "
               "shot by police officers in a gun battle on Monday morning. He was found sleeping "
               "in a doorway of a bar.Credit...Ed Murray/NJ Advance Media for NJ.com")
    foto = ("Die Hinterlassenschaften des Demoraves im vergangenen September (Foto: "
            "a100stoppen.de)")
    for line in (caption, foto):
        assert is_credit(line)
    article = parse_paste("\n\n".join([
        "Ahmad Khan Rahami Is Arrested in Manhattan and New Jersey Bombings", caption,
        "The man who the police said sowed terror across two states was tracked down on "
        "Monday morning sleeping in the doorway of a neighborhood bar.",
        "The frenzied end came on a rain-soaked street in Linden, four hours after the police "
        "issued an alert to millions of people in the area.",
    ]))
    assert article.paragraphs[0].startswith("The man who the police said")
    assert not any("Credit" in paragraph for paragraph in article.paragraphs)


def test_bbc_screen_reader_labels_without_colon_are_captions():
    # A copy of a BBC page keeps the hidden labels of its media with no colon after them.
    paste = "\n".join([
        "Obama admits US gun laws are his 'biggest frustration'",
        "Media caption Mr Obama told the BBC that gun control was his biggest frustration.",
        "President Barack Obama has said the failure to pass common sense gun safety laws in "
        "the US is the greatest frustration of his presidency.",
        "Image copyright Getty Images",
        "Image caption The president has spoken after several mass shootings.",
        "In an interview with the BBC, Mr Obama said it was distressing not to have made "
        "progress on the issue even in the face of repeated mass killings.",
    ])
    article = parse_paste(paste)
    assert article.title == "Obama admits US gun laws are his 'biggest frustration'"
    assert [p.split()[0] for p in article.paragraphs] == ["President", "In"]


def test_guardian_style_paste_drops_newsletter_and_role_byline():
    article = parse_paste(read("guardian-style-paste.txt"))
    assert article.title == "Coral reefs suffer worst bleaching on record, scientists warn"
    assert article.byline == "Sophie Lindqvist Environment correspondent"
    body = article.text
    for chrome in ("Sign up", "newsletter", "Privacy Notice", "Photograph:", "Most viewed",
                   "Explore more", "1,204"):
        assert chrome not in body, chrome
    assert body.count("Prof James Whitfield") == 1
    assert "Great Barrier Reef suffers sixth mass bleaching in eight years" in [
        h.title for h in article.candidates
    ]


def test_a_japanese_page_pasted_whole_is_read_by_its_characters_not_its_spaces(digester):
    # Japanese writes no spaces between words: counted by whitespace, each paragraph of this
    # article was one "word" and the page was refused as too short (40 words)
    text = read("japanese-style-paste.txt")
    digest = digester.from_text(text)
    assert digest.lang == "ja"
    assert digest.title == "市立図書館、来月から平日の開館を午後9時まで延長"
    assert digest.date == "2026-11-20"  # its dateline, "2026年11月20日 18:30", is no article text
    article = [line for line in text.splitlines() if line.endswith("。")]
    assert digest.summary and all(any(s in line for line in article) for s in digest.summary)
    assert all(menu not in " ".join(digest.summary) for menu in ("関連記事", "ログイン", "利用規約"))


def test_mid_article_read_more_block_resumes_body():
    paste = "\n".join([
        "Ferry strike called off after late pay offer",
        "Ferry workers on the island routes have called off a planned strike after the operator made a late improved pay offer on Sunday night.",
        "READ MORE",
        "Ferry timetable cut for winter",
        "Islanders warn of empty shelves",
        "The union said members would vote on the offer over the next fortnight, and services would run normally in the meantime.",
        "The operator said it was pleased that passengers would not face further disruption this winter after a difficult year.",
    ])
    article = parse_paste(paste)
    assert [h.title for h in article.candidates] == [
        "Ferry timetable cut for winter", "Islanders warn of empty shelves"]
    assert len(article.paragraphs) == 3
    assert "READ MORE" not in article.text


def test_list_headlines_lose_their_rank_and_date_and_ads_are_none():
    paste = "\n".join([
        "Ferry strike called off after late pay offer",
        "Ferry workers on the island routes have called off a planned strike after the operator made a late improved pay offer on Sunday night.",
        "The union said members would vote on the offer over the next fortnight, and services would run normally in the meantime.",
        "Most read",
        "1 Ferry timetable cut for the winter months",
        "2 Islanders warn of empty shelves in shops",
        "3 Harbour crane collapses in overnight storm",
        "5 Things Island Families Do Before Winter Starts",
        "Related",
        "Ferry operator fined over cancelled crossings MARCH 30, 2019",
        "Campaign ID: 285217 | Creative: ferry_promo_v5 | Page: www.example.com/ferries",
    ])
    assert [h.title for h in parse_paste(paste).candidates] == [
        "Ferry timetable cut for the winter months", "Islanders warn of empty shelves in shops",
        "Harbour crane collapses in overnight storm",
        "5 Things Island Families Do Before Winter Starts",  # not a rank: no 4 above it
        "Ferry operator fined over cancelled crossings",
    ]


_API_ARTICLE = [
    "Fetch replaces XHR with two objects, Request and Response, which map directly to the "
    "underlying HTTP concepts.",
    "Request",
    "A Request carries a URL, a method and headers, and may carry a body that is sent with it.",
    "Response",
    "Response instances are returned by calls to fetch(), and can also be made by scripts.",
    "The ok attribute is a shorthand for checking that the status lies between 200 and 299.",
]


@pytest.mark.parametrize("whole_page", [True, False])
def test_a_section_headed_response_is_article_text(whole_page):
    article = parse_paste("\n".join(_API_ARTICLE), whole_page=whole_page)
    assert "The ok attribute is a shorthand" in article.text


@pytest.mark.parametrize("heading", ["3 Responses", "Responses", "Leave a Response", "Comments",
                                     "View comments (27)", "10 Kommentare",
                                     "Schreibe einen Kommentar", "Laisser un commentaire",
                                     "Comentarios (4)"])
def test_a_comments_section_ends_the_article(heading):
    comment = "Great article, but you forgot that XHR could do all of this years ago already."
    article = parse_paste("\n".join([*_API_ARTICLE, heading, comment]), whole_page=False)
    assert "The ok attribute is a shorthand" in article.text
    assert comment not in article.text


def test_an_opinion_kicker_is_no_comments_heading():
    # "Kommentar" alone heads an opinion piece, in German as in a newspaper
    article = parse_paste("\n".join([*_API_ARTICLE, "Kommentar", *_API_ARTICLE[-2:]]),
                          whole_page=False)
    assert article.text.count(_API_ARTICLE[-1]) == 2


def test_wire_dateline_is_removed_from_the_first_paragraph():
    article = parse_paste(
        "(CNN)Singer David Crosby hit a jogger with his car on Sunday evening, a spokesman for the highway patrol said.\n"
        "LONDON (Reuters) - This second paragraph keeps its text because only the first is cleaned of datelines."
    )
    assert article.paragraphs[0].startswith("Singer David Crosby")
    assert article.paragraphs[1].startswith("LONDON (Reuters)")


def test_an_ap_dateline_with_its_state_is_no_title_and_leaves_the_lead():
    lead = ("HAYWARD, Calif. (AP) — The Latest on a deadly stabbing on a San Francisco Bay Area "
            "commute train (all times local):")
    article = parse_paste("\n".join([
        "Home", "News", "Sports", "Weather", "Sign in",
        "The Latest: Man stabbed to death on San Francisco Bay train", "By The Associated Press",
        lead, PROSE, PROSE.replace("Monday", "Tuesday"), PROSE.replace("council", "board")]))
    assert article.title == "The Latest: Man stabbed to death on San Francisco Bay train"
    assert article.paragraphs[0].startswith("The Latest on a deadly stabbing")


KEY_POINTS_PAGE = "\n".join([
    "Skip Navigation", "Markets", "Business", "Investing", "Tech", "Politics", "Video",
    "Emirates inks $9 billion order for 30 Boeing 787 jets",
    "Published Wed, Nov 20 2019 6:34 AM EST", "Natasha Turak", "Key Points",
    "Emirates Airline has finalized a deal to buy 30 of Boeing's 787-9 Dreamliner jets, the "
    "companies announced on Wednesday.",
    "The deal comes on top of five Dreamliner sales earlier this week and cuts a prior order "
    "for delayed 777x jets.",
    "Sheikh Mohammed bin Rashid Al Maktoum, vice president and prime minister, center blue "
    "sandals, passes a Boeing 787-10 passenger aircraft during the Dubai Air Show on Monday, "
    "Nov. 13, 2017.",
    "DUBAI, United Arab Emirates — Dubai's flagship carrier Emirates Airline finalized a deal to "
    "purchase 30 Boeing 787-9 Dreamliner jets, executives of both companies announced on "
    "Wednesday at the Dubai Air Show.",
    "The deal sets up a reduction to a prior commitment of 777x jets from the plane-maker, down "
    "by 30 to 126 of the long-delayed aircraft, the airline said in a statement.",
    "The mid-size wide body 787-9 jet is a larger, longer-range variant of the Dreamliner, "
    "seating 242 to 330 passengers in a two-class layout, according to the manufacturer.",
    "The order is crucial for the American manufacturer, whose sales have been badly hit after "
    "two crashes of its 737 Max jet grounded the whole fleet worldwide in March.",
    "Emirates President Tim Clark told reporters that the airline would restart its plans to "
    "expand by the early 2020s once the new jets begin to arrive in Dubai.",
])


def test_a_dateline_lead_starts_the_article_below_key_points_and_a_caption(digester):
    article = parse_paste(KEY_POINTS_PAGE)
    lead = next(p for p in article.paragraphs if p.startswith("DUBAI, United Arab Emirates — "))
    start = article.paragraphs.index(lead)  # a place's dateline stays; a wire's would go
    assert start >= 2 and all(score <= ABOVE_HEADLINE for score in article.scores[:start])
    summary = digester.from_text(KEY_POINTS_PAGE).summary
    assert summary[0] == lead
    assert not any("sandals" in sentence for sentence in summary)


def test_a_numbered_gallery_is_dropped_and_a_recipes_fractions_stay():
    slides = [f"- {n}/50 {PROSE.replace('council', f'board number {n}')}" for n in (1, 2, 4)]
    recipe = ["1/2 cup of flour, sifted twice", "3/4 cup of sugar"]
    text = "\n".join([PROSE, *slides, *recipe, PROSE.replace("Monday", "Friday")])
    article = parse_paste(text, whole_page=False)
    assert not any("/50" in p for p in article.paragraphs)
    assert all(line in article.paragraphs for line in recipe)


def test_running_text_after_a_list_heading_resumes_an_extractors_body():
    after = PROSE.replace("council", "committee") + " The vote was close."
    text = "\n".join([PROSE, "Read more", "Five things to know", after])
    assert after in parse_paste(text, whole_page=False).paragraphs
    reading = read_lines(text)  # pasted whole, one paragraph after a list may be a blurb
    assert not reading.rule_body[reading.lines.index(after)]


def test_hard_wrapped_paragraphs_are_joined_back():
    prose = ("The council voted on Tuesday to close the bridge for repairs, a decision that "
             "will add twenty minutes to the journey of thousands of commuters who cross it "
             "every morning. Engineers said the work could not wait.")
    wrapped = textwrap.fill(prose, 72).split("\n")
    assert len(wrapped) == 3
    assert unwrap(["Bridge to close", "", *wrapped, "", "Picture: PA"]) == [
        "Bridge to close", "", prose, "", "Picture: PA"]


def test_lists_and_menus_are_not_mistaken_for_wrapped_prose():
    headlines = ["Council votes to close the bridge for six months of repairs",
                 "Commuters face longer journeys as the bridge closes for repairs",
                 "Engineers warn other bridges in the county need urgent work too"]
    assert unwrap(headlines) == headlines
    menu = ["Home", "News", "Sport", "Weather"]
    assert unwrap(menu) == menu


def test_a_hard_wrapped_article_gives_the_same_digest(digester):
    text = read("lbc-amnesty-navalny.txt")
    wrapped = "\n".join(textwrap.fill(line, 72) if line else "" for line in text.split("\n"))
    assert wrapped.count("\n") > text.count("\n") + 10
    original, rewrapped = digester.from_text(text), digester.from_text(wrapped)
    assert rewrapped.summary == original.summary and rewrapped.quotes == original.quotes


def test_a_line_of_numbers_is_article_text_and_a_dateline_is_not():
    text = "\n".join([
        "Results of the county swimming championships were confirmed on Saturday by the "
        "organisers after a long day of finals at the city pool.",
        "Updated 2 hours ago",
        "PUBLISHED: November 19, 2019 at 8:59 pm | UPDATED: November 19, 2019 at 10:16 pm",
        "Heat times, in seconds, for the four lanes:",
        "61, 62, 64, 70",
        "| Ana Ruiz | Riverside SC | 61.20 | -12.45 |",  # a table row: "12.45" is no clock time
        "The winner, Ana Ruiz, set a county record in the final and will swim at the nationals.",
    ])
    article = parse_paste(text, whole_page=False)
    assert "61, 62, 64, 70" in article.paragraphs
    assert "| Ana Ruiz | Riverside SC | 61.20 | -12.45 |" in article.paragraphs
    assert "Updated 2 hours ago" not in article.text
    assert "PUBLISHED" not in article.text


@pytest.mark.parametrize(("line", "kind"), [
    ("on March 10, 2015 by Nikhil Marathe", "byline"),
    ("Tuesday 15 October 2019 by Bradley M. Kuhn", "byline"),
    ("by: Cora Neas", "byline"),
    ("Posted by Nathan Parker, Varun Khaneja, Eric Mill and Kiran C Nair", "byline"),
    # in the other languages of the shared pages
    ("von Martina Scharmann", "byline"),
    ("Autor: Samuel Diekmann (Sponsored Post), Redner bei rent-a-pastor.com", "byline"),
    ("Veröffentlicht von Cem Basman", "byline"),  # "posted by", in German, French, Spanish
    ("Publié par Jean Dupont", "byline"),
    ("Publicado por Ana Ruiz", "byline"),
    # the kind of piece before it ("Eine Kolumne von Nils Pickert": pages-trafilatura)
    ("Eine Kolumne von Nils Pickert", "byline"),
    ("A column by Jane Doe", "byline"),
    ("Analysis by Jane Doe, Chief Economist", "byline"),
    ("11.01.2022, 09:50 Uhr / Aktualisiert am 21.01.2022, 11:39 Uhr", "date"),
    # datelines in German and French, with their labels and day names
    ("Samstag, 5. Oktober 2013", "date"),
    ("Aktualisiert: 30.12.2016", "date"),
    ("Stand: 26.10.2021", "date"),
    ("Publié le 3 mai 2022", "date"),
    ("// By Arun Sai Krishnan • Nov 11, 2020", "date"),
    ("Published 21 November 2019 · Tagged with WebAssembly tooling", "date"),
    ("New Delhi, News Nation Bureau | Updated : 19 November 2019, 09:01 AM", "date"),
    # headlines with a date in them, or a name after "by", stay candidates for the title
    ("Opening Bell 11.18.19", "before"),
    ("LWN.net Weekly Edition for March 26, 2015", "before"),
    ("Stand by Me: the film that made a generation", "before"),
    ("Von Berlin bis Brandenburg: die schönsten Radtouren am Wasser", "before"),
    ("Fishing Masters Show in Rostock im Mai 2022", "before"),
    ("Trump hearing | Live updates from Washington on 19 November 2019", "before"),
    ("Veröffentlichungen von Forschern der Universität", "before"),
    ("Home Office / Budget 2019: what changes in May", "before"),
    ("Report by UN finds Syria used chemical weapons", "before"),
    ("Ein Bericht von Berlin nach Paris", "before"),
])
def test_datelines_with_an_author_or_a_place_are_datelines(line, kind):
    text = f"{line}\n{PROSE}\n{PROSE.replace('Monday', 'Tuesday')}"
    assert read_lines(text).kinds[0] == kind
    article = parse_paste(text)
    assert line not in article.text
    assert {"byline": article.byline, "date": article.date, "before": article.title}[kind] == line


@pytest.mark.parametrize("chrome", [
    "Skip to contentSkip to site index",  # two hidden links a copy runs together
    # a sign-up form's answer, hidden until it is sent (a pasted tagblatt.ch page's "title")
    "Vielen Dank für Ihre Anmeldung.",
    "Thank you for signing up!",
    "Jump to navigation Jump to search",
    "Share on Google Plus",
    "Topics: uber, libertarians, Sydney, Editor's Picks, sharing economy",
    # a page's furniture in German, French and Spanish
    "Zum Inhalt springen", "Artikel teilen", "Suivez-nous sur Facebook", "Volver arriba",
    # a trail of links from the home page, with the headline at its end
    "Home / Essays / 2017 / January / Aggression Fotografie",
    "Startseite>People>Real Life>Horror-Fund! Instagram-Star (†24) einbetoniert",
    "Sie sind hier: Home » Europa » Deutschland » Niedersachsen",
    "You are here: Home / Baby / Baby Nurseries / 20 Clever Small Nursery Ideas",
    # what a page says to a browser that runs no scripts, or an old one
    "Please enable JavaScript to view the comments powered by Disqus.",
    "JavaScript scheint in Ihrem Browser deaktiviert zu sein.",
    "You are using an outdated browser. Please upgrade your browser to improve your experience.",
    # an account's menu (extraction-dev, nj.com: it was a paste's title)
    "You are signed in as", "Angemeldet als Gast",
])
def test_navigation_and_tag_lines_are_chrome(chrome):
    reading = read_lines(f"{chrome}\nA headline for the story\n" + PROSE)
    assert reading.kinds[0] == "chrome"


@pytest.mark.parametrize("line", [
    "Chrome update fixes a browser flaw that let sites read your history",  # a headline
    "Mozilla disables the JavaScript engine's JIT in Firefox",
    "Homeless shelters fill up as the cold arrives",
])
def test_a_headline_about_a_browser_or_a_home_is_no_chrome(line):
    assert read_lines(f"{line}\n{PROSE}\n{PROSE}").kinds[0] != "chrome"


@pytest.mark.parametrize(("line", "credit"), [
    # a photo's credit as a line of its own (pages-postlight pl-0013: it was a paste's title)
    ("Image by Getty Images", True),
    ("Image by Free-Photos from Pixabay", True),
    ("Bild von Gerd Altmann auf Pixabay", True),
    ("Photo by Ben White on Unsplash", True),
    # ... but not a headline or a sentence that opens the same way
    ("Photos by readers show the flood", False),
    ("Picture by picture, the town rebuilt itself.", False),
])
def test_a_photos_by_line_is_a_credit(line, credit):
    assert is_credit(line) is credit


@pytest.mark.parametrize("heading", [
    "Ähnliche Beiträge", "Das könnte Sie auch interessieren", "Meistgelesen", "À lire aussi :",
    "Noticias relacionadas", "Lo más leído",
])
def test_a_list_heading_in_german_french_or_spanish_heads_a_list(heading):
    other = ["Neue Radwege für die Innenstadt geplant", "Stadtrat beschließt höhere Gebühren",
             "Schwimmbad öffnet im Mai wieder"]
    reading = read_lines("\n".join([PROSE, PROSE, heading, *other]))
    assert list(reading.kinds[2:]) == ["list_heading", "listed", "listed", "listed"]


PROSE = ("The council approved the plan on Monday night after a debate that lasted more than "
         "four hours and drew hundreds of residents to the town hall.")


def test_a_headline_the_page_repeats_starts_the_article_where_it_sits_above_its_body(digester):
    # A Yahoo page (readability's yahoo-2) pasted whole: its headline stands once near the top,
    # above other stories' teasers, quotes and readers' comments, and again right above the
    # article. Counted from the first, a comment was the summary's first sentence and two
    # other stories' quotes were its key quotes.
    html = gzip.decompress((DATA / "pages" / "yahoo-2.html.gz").read_bytes()).decode()
    paste = page_text(html)
    headline = "Russia: Space ship malfunctions, breaks up over Siberia"
    assert paste.splitlines().count(headline) == 2
    digest = digester.from_text(paste)
    assert digest.title == headline
    assert not any("voters" in sentence for sentence in digest.summary)
    assert any("Progress" in sentence for sentence in digest.summary)
    assert not any(q.speaker in ("Tom Ford", "Lisa Lagos") for q in digest.quotes)


@pytest.mark.parametrize(("line", "author", "day"), [
    # bylines with the day and time that read as datelines first (pages-postlight, pasted whole)
    ("By Dario Durando | November 02, 2018", "Dario Durando", "2018-11-02"),
    ("By Sage Lazzaro • 12/16/16 12:21pm", "Sage Lazzaro", "2016-12-16"),
    ("von Marc Scheloske | 20. Mai 2007 | Ergebnisse, Ergebnisse 2007 | 0 Kommentare",
     "Marc Scheloske", "2007-05-20"),
    ("Veröffentlicht am 13. März 2019 von Michael Veeser-Dombrowski",
     "Michael Veeser-Dombrowski", "2019-03-13"),
    ("Von Der Spendenteddy - 30. Juli 2023, 18:55 Uhr", "Der Spendenteddy", "2023-07-30"),
])
def test_a_dateline_with_its_author_gives_both(line, author, day):
    from summariser.page_meta import author_of, iso_date

    article = parse_paste(f"A headline for the story\n{line}\n{PROSE}\n{PROSE}")
    assert read_lines(f"{line}\n{PROSE}").kinds[0] == "date"
    assert (author_of(article.byline), iso_date(article.date)) == (author, day)


def test_an_archive_month_is_no_date_and_the_day_below_it_is():
    # a blog's sidebar lists its archive by month above the post's own dateline
    article = parse_paste(f"A headline for the story\nNovember 2012\nOktober 2012\n"
                          f"11. Dezember 2012\n{PROSE}\n{PROSE}")
    assert article.date == "11. Dezember 2012"


def test_a_byline_run_into_its_name_is_one_and_a_word_starting_by_is_not():
    assert read_lines(f"ByTravis Haney Dec 9, 2016\n{PROSE}").kinds[0] in ("byline", "date")
    assert parse_paste(f"A headline for the story\nByTravis Haney Dec 9, 2016\n{PROSE}\n{PROSE}"
                       ).byline == "ByTravis Haney Dec 9, 2016"
    for line in ("Bypass Road closed", "ByteDance wins"):
        assert read_lines(f"{line}\n{PROSE}").kinds[0] != "byline"


@pytest.mark.parametrize("line", ["Letters To The Editor", "Web Audio Editor"])
def test_a_menu_item_or_heading_with_a_role_word_is_no_byline(line):
    assert read_lines(f"{line}\n{PROSE}").kinds[0] != "byline"
    assert parse_paste(f"A headline for the story\n{line}\n{PROSE}\n{PROSE}").byline is None


def test_a_photos_courtesy_line_is_a_credit_and_the_article_between_them_is_prose():
    # today.com pasted whole: a "Trending" menu reads as a list, and the article's
    # paragraphs, each under a "Courtesy of Zillow" photo, never came two in a row: the whole
    # article read as list captions, and the paste was refused as 29 words
    paragraphs = [PROSE.replace("Monday", day) + " It was the longest meeting of the year."
                  for day in ("Monday", "Tuesday", "Wednesday", "Thursday")]
    text = "\n".join(["Trending", "Recipes", "Money", "Facebook", "Twitter",
                      "Council approves the plan after a long night"]
                     + [line for paragraph in paragraphs
                        for line in ("Courtesy of Zillow", paragraph)])
    article = parse_paste(text)
    assert article.paragraphs == tuple(paragraphs)


def test_an_about_us_heading_in_a_menu_above_the_article_does_not_end_it():
    # fool.com pasted whole (pages-postlight pl-0079): a blurb in the menu, then its "About Us",
    # ended the body before the article began; the digest summarised the site's own story
    blurb = ("Founded in 1993 by two brothers, the site helps millions of people attain "
             "financial freedom through its website and podcasts.")
    paragraphs = [PROSE.replace("Monday", day) for day in ("Monday", "Tuesday", "Wednesday")]
    text = "\n".join(["Stock Picks", "Credit Cards 101", blurb, "About Us", "Our Purpose:",
                      "Council approves the plan after a long night", *paragraphs])
    article = parse_paste(text)
    assert all(paragraph in article.paragraphs for paragraph in paragraphs)


def test_a_sentence_broken_across_lines_is_joined_back_and_nothing_else_is():
    assert continued([
        "This blog article on Python reminded me to write up",  # a paragraph broken with <br>
        "the equivalent for Emacs Lisp.",
        "Advice came to Emacs in 1994, when a",
        "colleague at work wrote up a simple example.",
        "Denn",  # a drop cap
        "ich glaube, dass unsere Freude ein Antrieb ist.",
    ]) == ["This blog article on Python reminded me to write up the equivalent for Emacs Lisp.",
           "Advice came to Emacs in 1994, when a colleague at work wrote up a simple example.",
           "Denn ich glaube, dass unsere Freude ein Antrieb ist."]
    kept = [
        "Apple launches a new phone",  # a headline, then its article
        "iPhone sales rose in the third quarter of the year.",
        "Quarterly results for the group",
        "Sales rose in the third quarter of the year.",  # a capital: a new paragraph
        "It ended the year with a profit.",
        "and then a line after a sentence's end stays apart",
        "for i in [1, 2, 3, 4]:",  # code
        "result.append(i + 1)",
        "東京で新しい駅が開業した", "乗客は朝から列を作った",  # a script without capitals
    ]
    assert continued(kept) == kept


def test_soft_hyphens_a_copy_keeps_are_dropped():
    # weinkenner.de's words are hyphenated for the browser to break ("Mit­tel­al­ter"); a copy
    # keeps every soft hyphen, and a summary showed them
    text = "Das Mit\u00adtel\u00adal\u00adter kannte den Wein schon. " * 3
    article = parse_paste(f"{text}\n{text}\n{text}", whole_page=False)
    assert "\u00ad" not in article.text and "Mittelalter" in article.text


def test_a_list_heading_in_a_menu_heads_no_list():
    # spektrum.de pasted whole (pages-postlight pl-0133): its menu's "Meistgelesen", among
    # "Neuerscheinungen" and "Fachgebiete", made the article's opening lines a list's items
    menu = ["Meistgelesen", "Neuerscheinungen", "Fachgebiete", "Astronomie", "News"]
    opening = ("Die Rafflesien haben die größten Blüten der Welt, und ihr Erbgut verrät nun, "
               "wie sehr sie als Parasiten von ihren Wirten leben und was sie dabei verloren.")
    reading = read_lines("\n".join([*menu, opening, PROSE, PROSE]))
    assert reading.kinds[0] == "chrome" and "listed" not in reading.kinds
    assert opening in parse_paste("\n".join([*menu, opening, PROSE, PROSE])).text

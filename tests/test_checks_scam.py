"""checks/scam.py: large sums of money, and the advance-fee pattern around them."""
from __future__ import annotations

from checkkit import findings, knowledge, mail

from tsuribari.checks.scam import large_sums
from tsuribari.knowledge import default_knowledge
from tsuribari.parse.normalise import fold


def kb():
    # The real windfall phrases (every language) and a small free-mail list.
    return knowledge(wording={"advance_fee": default_knowledge().wording["advance_fee"]},
                     freemail=frozenset({"gmail.com", "hotmail.com", "zohomail.eu"}))


def sums(text: str) -> list[str]:
    return large_sums(fold(text))


def test_amounts_in_the_ways_people_write_them():
    assert sums("doar US$ 2.500.000 (dois milhões e quinhentos mil dólares)") == ["us$ 2.500.000"]
    assert sums("uma quantia total de $ 150.500,00 dólares americanos") == ["$ 150.500,00 dólares"]
    assert sums("part of my fortune (£1,963,920.00 GBP)") == ["£1,963,920.00 gbp"]
    assert sums("withdraw funds 121582 USDT") == ["121582 usdt"]
    assert sums("ein Betrag von 4,5 Millionen Euro") == ["4,5 millionen euro"]
    assert sums("un fondo de 2 millones de dólares") == ["2 millones de dólares"]
    assert sums("the sum of $7.5million USD") == ["$7.5million usd"]
    assert sums("€ 1 250 000 sur votre compte") == ["€ 1 250 000"]
    assert sums("総額250万ドルを") == ["250万ドル"]
    assert sums("1億円を受け取る") == ["1億円"]
    assert sums("百万ドルの賞金") == ["百万ドル"]


def test_ordinary_amounts_are_not_large():
    assert sums("ご請求金額 ¥12,000（税込）") == []
    assert sums("ご請求金額 120,000円") == []                 # yen: an ordinary invoice, not a fortune
    assert sums("Your order total: $99.95, 3.750 € bonus") == []
    assert sums("Call 1-800-216-3546 or visit room 100000") == []   # no currency: not money
    assert sums("the cable is 5 m long, 12k followers") == []
    assert sums("Version 2.500.000 released") == []
    assert sums("x" * 10_000 + "$" + "1" * 5_000) == []            # a digit run too long to be a price


def test_donation_from_a_free_mailbox_is_advance_fee():
    raw = mail("From: Pilar Tobon <piilartobonn@gmail.com>\nTo: me@example.pt\nSubject: Querido no Senhor",
               "Sou a Sra. Pilar Tobon. Após a morte do meu falecido marido, desejo doar US$ 2.500.000 "
               "(dois milhões e quinhentos mil dólares americanos) para obras de caridade que herdei.")
    got = findings(raw, kb())
    assert "scam.advance_fee" in got and "scam.large_sum" not in got
    ev = got["scam.advance_fee"].evidence
    assert ev["amounts"] == ["us$ 2.500.000"] and ev["freemail"] == "piilartobonn@gmail.com"
    assert "falecido marido" in ev["phrases"]
    assert "2.500.000" in got["scam.advance_fee"].title["en"]


def test_reply_to_on_a_free_mailbox_is_enough():
    raw = mail("From: Leonard <office@some-university.example>\nReply-To: foundation@hotmail.com\n"
               "To: me@example.com\nSubject: Donation",
               "I have decided to give $600,000.00 (six hundred thousand United States dollars) each to "
               "randomly selected individuals worldwide. Kindly reply.")
    got = findings(raw, kb())
    assert got["scam.advance_fee"].evidence["freemail"] == "foundation@hotmail.com"


def test_inheritance_wording_without_free_mail():
    raw = mail("From: Barrister Okon <law@chambers.example>\nTo: me@example.com\nSubject: Next of kin",
               "My late client left $8.5 million USD in a dormant account and I seek his next of kin.")
    got = findings(raw, kb())
    assert set(got["scam.advance_fee"].evidence["phrases"]) >= {"next of kin", "dormant account"}


def test_legitimate_invoice_in_yen_gives_nothing():
    raw = mail("From: 株式会社サンプル <billing@sample-corp.co.jp>\nTo: me@example.jp\nSubject: ご請求書",
               "いつもお世話になっております。今月のご請求金額は ¥12,000（税込）です。お支払期限は月末です。")
    got = findings(raw, kb())
    assert not any(fid.startswith("scam.") for fid in got)


def test_company_newsletter_quoting_revenue_is_not_a_scam():
    raw = mail("From: Acme News <news@acme-corp.example>\nTo: me@example.com\nSubject: Q3 results",
               "Acme reported revenue of $232 million for the quarter and 414 million euros in Europe, "
               "and announced a $2 million donation to local charities.")
    got = findings(raw, kb())
    assert not any(fid.startswith("scam.") for fid in got)


def test_a_sum_put_to_the_reader_is_a_hint():
    raw = mail("From: Rewards <team@rewards.example>\nTo: me@example.com\nSubject: Balance",
               "Market update. Your account balance of $125,000 is ready: withdraw it today.")
    got = findings(raw, kb())
    assert got["scam.large_sum"].evidence["amounts"] == ["$125,000"]
    # How much the hint weighs is the calibration's business (data/weights.json), not this test's.


def test_personal_mail_from_free_mailbox_without_sums():
    raw = mail("From: Friend <friend@gmail.com>\nTo: me@example.com\nSubject: dinner",
               "See you at 7, the bill was $45.")
    got = findings(raw, kb())
    assert not any(fid.startswith("scam.") for fid in got)


def test_sextortion_script_in_portuguese():
    raw = mail("From: <x@mailer.example>\nTo: me@example.pt\nSubject: A aguardar o pagamento",
               "Tenho acesso total ao seu dispositivo. Foi infetado com malware proveniente de um site para adultos. "
               "Ligando a sua câmara e microfone, gravei um vídeo de você. Pague para a carteira bitcoin abaixo.")
    got = findings(raw, knowledge(wording={"extortion": default_knowledge().wording["extortion"]}))
    assert len(got["scam.extortion"].evidence["phrases"]) >= 4


def test_one_security_phrase_is_not_extortion():
    raw = mail("From: News <news@security.example>\nTo: me@example.com\nSubject: Tips",
               "Cover your webcam when you do not use it, and keep your software up to date.")
    got = findings(raw, knowledge(wording={"extortion": default_knowledge().wording["extortion"]}))
    assert "scam.extortion" not in got


def test_reading_near_the_markers_finds_what_the_whole_text_scan_finds():
    # Random texts dense in digits, separators, scale words and currencies, long enough for
    # markers far apart, near each other and at both ends.
    import random

    from tsuribari.checks.scam import _MONEY, _money_near_markers
    from tsuribari.checks.wording import CURRENCY_MARKERS
    pieces = ["1", "250", "000", ".", ",", " ", "x", "de ", "of ", "million", "mil millones", "k", "m ",
              "$", "us$", "€", "£", "usd", "eur", "usdt", "dollars", "dólares", "sterling", "yen", "franc",
              "pounds", "cad", "aud"] + ["12345678901234567", "a", "word ", "\n", "1", "000", " "] * 6
    rng = random.Random(7)
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 300)))
        present = [m for m in CURRENCY_MARKERS if m in text]
        want = [(m.span(), m.groupdict()) for m in _MONEY.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in _money_near_markers(text, present)] == want, text

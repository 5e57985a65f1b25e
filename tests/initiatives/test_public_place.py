"""The public place: the board, the application without login, the personal link."""

from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from groups.initiatives import services
from groups.initiatives.models import Attachment, Initiative, InitiativeEvent, RateBucket
from tests.conftest import group_path
from tests.initiatives.helpers import DAY, INITIATOR_EMAIL, make_round, png, submit, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(in_group_a, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return make_round(users)


def _form(round_, **overrides):
    data = {
        "round_id": round_.pk,
        "title": "Bankjes verven",
        "summary": "Samen de bankjes op het plein opknappen.",
        "description": "Op zaterdag verven we met tien buren de vijf bankjes.",
        "initiator_name": "Amina Bakker",
        "initiator_email": INITIATOR_EMAIL,
        "initiator_phone": "06-12345678",
        "item_0_description": "Verf",
        "item_0_amount": "120,50",
        "item_1_description": "Kwasten",
        "item_1_amount": "30,00",
        "website": "",
    }
    data.update(overrides)
    return data


@time_machine.travel(DAY, tick=False)
def test_resident_applies_without_login_and_gets_a_personal_link(round_, group_a):
    # when
    response = Client().post(group_path(group_a, "initiatieven/aanvragen/"), _form(round_))
    # then
    assert response.status_code == 200
    initiative = Initiative.objects.get()
    assert initiative.requested_amount == Decimal("150.50")
    assert initiative.submitted_via == Initiative.Via.ONLINE
    assert [i.amount for i in initiative.items.all()] == [Decimal("120.50"), Decimal("30.00")]
    link = response.context["link"]
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in initiative.token_hash and len(token) >= 40
    assert initiative.history.count() == 1
    assert InitiativeEvent.objects.filter(kind="initiative_submitted").count() == 1
    # the personal link opens the initiator's own page
    assert Client().get(link).status_code == 200


@time_machine.travel(DAY, tick=False)
def test_mail_with_the_link_goes_out_only_after_commit(
    round_, group_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = submit(round_, link_base="https://buurtkas.test/mijn/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [INITIATOR_EMAIL]
    assert f"https://buurtkas.test/mijn/{submitted.token}/" in mail.outbox[0].body


@time_machine.travel(DAY, tick=False)
def test_honeypot_filled_writes_nothing_but_looks_the_same(round_, group_a):
    response = Client().post(
        group_path(group_a, "initiatieven/aanvragen/"), _form(round_, website="http://spam")
    )
    assert response.status_code == 200
    assert not Initiative.objects.exists()


@time_machine.travel(DAY, tick=False)
def test_rate_limit_per_email_refuses_the_fourth_application_of_a_day(round_, group_a):
    client = Client()
    url = group_path(group_a, "initiatieven/aanvragen/")
    for n in range(3):
        assert client.post(url, _form(round_, title=f"Plan {n}")).status_code == 200
    response = client.post(url, _form(round_, title="Plan 4"))
    assert response.status_code == 400
    assert "te veel aanvragen" in response.content.decode()
    assert Initiative.objects.count() == 3
    assert RateBucket.objects.filter(key=f"apply-mail:{INITIATOR_EMAIL}").get().count == 4


@time_machine.travel(DAY, tick=False)
def test_rate_limit_per_address(round_, group_a):
    client = Client(REMOTE_ADDR="203.0.113.7")
    url = group_path(group_a, "initiatieven/aanvragen/")
    for n in range(10):
        client.post(url, _form(round_, initiator_email=f"buur{n}@example.org"))
    response = client.post(url, _form(round_, initiator_email="nog-een@example.org"))
    assert response.status_code == 400
    assert Initiative.objects.count() == 10


@time_machine.travel(DAY, tick=False)
def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_written(round_):
    fake = upload("foto.jpg", b"MZ\x90\x00 this is an executable", "image/jpeg")
    with pytest.raises(ValidationError) as error:
        submit(round_, uploads=[upload("echt.png"), fake])
    assert "geen foto" in str(error.value)
    assert not Initiative.objects.exists() and not Attachment.objects.exists()


@time_machine.travel(DAY, tick=False)
def test_a_huge_photo_is_refused(round_):
    big = upload("groot.png", png("x") + b"\0" * (10 * 1024 * 1024), "image/png")
    with pytest.raises(ValidationError, match="te groot"):
        submit(round_, uploads=[big])


@time_machine.travel(DAY, tick=False)
def test_real_photo_and_pdf_are_kept_by_content_type(round_):
    pdf = upload("plan.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "image/png")
    initiative = submit(round_, uploads=[upload("plein.png"), pdf]).initiative
    kinds = sorted(a.content_type for a in initiative.attachments.all())
    assert kinds == ["application/pdf", "image/png"]


@pytest.mark.parametrize(
    "items, message",
    [
        ([("Verf", "-10,00")], "groter zijn dan nul"),
        ([("Verf", "99999999,00")], "hoogstens"),
        ([("", "")], "minstens één regel"),
        ([("Verf", "1,005")], "twee cijfers"),
    ],
)
@time_machine.travel(DAY, tick=False)
def test_bad_amounts_are_refused_in_dutch(round_, items, message):
    with pytest.raises(ValidationError, match=message):
        submit(round_, items=items)
    assert not Initiative.objects.exists()


def test_closed_round_takes_no_applications(round_):
    import datetime

    with pytest.raises(ValidationError, match="niet open"):
        submit(round_, today=datetime.date(2026, 6, 1))


@time_machine.travel(DAY, tick=False)
def test_initiator_edits_through_the_link_and_a_renewed_link_voids_the_old(round_, group_a, users):
    submitted = submit(round_)
    url = group_path(group_a, f"initiatieven/mijn/{submitted.token}/")
    response = Client().post(
        url,
        {
            "title": "Buurtmoestuin XL",
            "summary": "Groter.",
            "description": "Zes bakken.",
            "item_0_description": "Bakken",
            "item_0_amount": "500,00",
        },
    )
    assert response.status_code == 302
    initiative = Initiative.objects.get()
    assert initiative.title == "Buurtmoestuin XL"
    assert initiative.requested_amount == Decimal("500.00")
    assert initiative.history.count() == 2
    # when the board renews the link
    new_token = services.link_renew(initiative=initiative, user=users["chair"])
    # then the old link is dead and the new one works
    assert Client().get(url).status_code == 404
    assert Client().get(group_path(group_a, f"initiatieven/mijn/{new_token}/")).status_code == 200


@time_machine.travel(DAY, tick=False)
def test_desk_submission_is_recorded_as_such(round_, group_a, client_as, users):
    response = client_as("member").post(group_path(group_a, "initiatieven/balie/"), _form(round_))
    assert response.status_code == 200
    initiative = Initiative.objects.get()
    assert initiative.submitted_via == Initiative.Via.DESK
    assert initiative.desk_user_id == users["member"].pk


@time_machine.travel(DAY, tick=False)
def test_public_pages_show_no_personal_data(round_, group_a):
    submitted = submit(round_)
    client = Client()
    pages = [
        group_path(group_a, "initiatieven/"),
        group_path(group_a, f"initiatieven/{submitted.initiative.pk}/"),
        group_path(group_a, "initiatieven/aanvragen/"),
    ]
    for page in pages:
        html = client.get(page).content.decode()
        assert INITIATOR_EMAIL not in html and "06-12345678" not in html, page
        assert "Amina Bakker" not in html, page
    assert "Buurtmoestuin" in client.get(pages[0]).content.decode()


def test_rounds_need_a_real_budget_line_and_sane_dates(in_group_a, users):
    import datetime

    with pytest.raises(ValidationError) as error:
        make_round(users, closes_on=datetime.date(2026, 3, 1))
    assert "closes_on" in error.value.error_dict
    with pytest.raises(ValidationError, match="minstens"):
        make_round(users, decided_by="vouchers", voucher_value=Decimal("4.99"))
    with pytest.raises(ValidationError, match="groter dan de begrotingsregel"):
        make_round(users, budget=Decimal("6000.00"))


@time_machine.travel(DAY, tick=False)
def test_the_public_board_pages_by_a_hundred(round_, group_a):
    from groups.initiatives.protection import new_token

    Initiative.objects.bulk_create(
        [
            Initiative(
                round=round_,
                title=f"Plan {n:03d}",
                summary="Kort.",
                description="Lang.",
                requested_amount=Decimal("10.00"),
                initiator_name="X",
                initiator_email=f"x{n}@example.org",
                token_hash=new_token()[1],
            )
            for n in range(101)
        ]
    )
    first = Client().get(group_path(group_a, "initiatieven/")).content.decode()
    second = Client().get(group_path(group_a, "initiatieven/?pagina=2")).content.decode()
    assert first.count("<li><h3>") == 100 and "?pagina=2" in first
    assert second.count("<li><h3>") == 1

"""form_saved: the step every edit page shares (valid POST → service → message → redirect)."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from backoffice.core.forms import form_saved


class NameForm(forms.Form):
    name = forms.CharField(max_length=20)


def _request(method="post", data=None):
    request = getattr(RequestFactory(), method)("/bewerken/", data or {})
    request._messages = CookieStorage(request)
    return request


def _texts(request) -> list[str]:
    return [str(m) for m in get_messages(request)]


def test_a_get_shows_the_form_and_saves_nothing():
    request = _request("get")
    calls = []
    form = NameForm(None)
    assert form_saved(request, form, calls.append, success="Opgeslagen.", then="/klaar/") is None
    assert calls == [] and _texts(request) == []


def test_invalid_input_shows_the_form_again_and_saves_nothing():
    request = _request(data={"name": ""})
    calls = []
    form = NameForm(request.POST)
    assert form_saved(request, form, calls.append, success="Opgeslagen.", then="/klaar/") is None
    assert calls == [] and "name" in form.errors and _texts(request) == []


def test_a_refusal_of_the_service_goes_on_its_field_or_on_top():
    def refuse(data):
        raise ValidationError({"name": "Die naam is bezet.", "other": "Niet nu."})

    request = _request(data={"name": "Amina"})
    form = NameForm(request.POST)
    assert form_saved(request, form, refuse, success="Opgeslagen.", then="/klaar/") is None
    assert form.errors["name"] == ["Die naam is bezet."]
    assert form.non_field_errors() == ["Niet nu."]
    assert _texts(request) == []

    request = _request(data={"name": "Amina"})
    form = NameForm(request.POST)

    def refuse_plain(data):
        raise ValidationError("Het jaar is afgesloten.")

    assert form_saved(request, form, refuse_plain, success="Opgeslagen.", then="/klaar/") is None
    assert form.non_field_errors() == ["Het jaar is afgesloten."]


def test_a_save_sends_the_browser_on_with_the_message():
    request = _request(data={"name": "Amina"})
    calls = []
    form = NameForm(request.POST)
    response = form_saved(request, form, calls.append, success="Opgeslagen.", then="/klaar/")
    assert response.status_code == 302 and response["Location"] == "/klaar/"
    assert calls == [{"name": "Amina"}]
    assert _texts(request) == ["Opgeslagen."]


def test_message_and_address_may_come_from_what_was_saved():
    request = _request(data={"name": "Amina"})
    form = NameForm(request.POST)
    response = form_saved(
        request,
        form,
        lambda data: {"pk": 7, "name": data["name"]},
        success=lambda made: f"{made['name']} is toegevoegd.",
        then=lambda made: f"/leden/{made['pk']}/",
    )
    assert response["Location"] == "/leden/7/"
    assert _texts(request) == ["Amina is toegevoegd."]


def test_without_a_success_text_no_message_is_shown():
    request = _request(data={"name": "Amina"})
    form = NameForm(request.POST)
    response = form_saved(request, form, lambda data: None, success=None, then="/klaar/")
    assert response["Location"] == "/klaar/" and _texts(request) == []


def test_a_save_whose_outcome_is_not_plainly_good_says_so_at_its_level():
    from django.contrib import messages

    def success(made):
        return made if made == "Opgeslagen." else (messages.ERROR, made)

    shown = []
    for outcome in ("Opgeslagen.", "Vastgelegd, maar ongeldig."):
        request = _request(data={"name": "Amina"})
        form = NameForm(request.POST)
        response = form_saved(
            request, form, lambda data, o=outcome: o, success=success, then="/klaar/"
        )
        assert response["Location"] == "/klaar/"
        shown += [(m.level, str(m)) for m in get_messages(request)]
    assert shown == [
        (messages.SUCCESS, "Opgeslagen."),
        (messages.ERROR, "Vastgelegd, maar ongeldig."),
    ]

"""Form helpers every app's pages share."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field if the form has one,
    otherwise at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class IsoDateInput(forms.DateInput):
    """`<input type="date">` with its value in ISO (2026-12-02): the only notation browsers
    read in a date input; a localised value (02-12-2026) shows an empty field."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def form_saved(request, form: forms.Form, save, *, success, then):
    """The step every edit page shares: on a valid POST, `save(form.cleaned_data)` calls the
    service; a ValidationError it raises goes onto the form (nothing is saved); otherwise
    the success message is shown and the browser is sent on to `then`.

    `success` and `then` are a text and a URL, or functions of what `save` returned (for a
    page that goes to the thing it just made). A function for `success` may also return a
    pair `(level, text)` with a level of django.contrib.messages, for a save whose outcome
    is not plainly good (a decision recorded but invalid): that text is shown at that level.
    Returns the redirect, or None when the form is to be shown (again): a GET, invalid
    input, or a refusal by the service.
    """
    from django.contrib import messages
    from django.shortcuts import redirect

    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    if success:
        message = success(result) if callable(success) else success
        level, text = message if isinstance(message, tuple) else (messages.SUCCESS, message)
        messages.add_message(request, level, text)
    return redirect(then(result) if callable(then) else then)

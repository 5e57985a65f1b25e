from django.conf import settings
from django.utils import translation


class DutchFirstLocaleMiddleware:
    """Dutch unless the person chose another language in the footer menu.

    Django's LocaleMiddleware follows the browser's Accept-Language, and many Dutch
    volunteers' phones are set to English; the product is Dutch first, so only an explicit
    choice (the language cookie set by the footer menu) switches it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RefuseNulMiddleware:
    """Refuse a request whose address holds a NUL character, with a clear 400 page.

    PostgreSQL cannot store or compare text containing NUL, so a view that passes such a
    query parameter to the database (``?status=%00``) would fail with a server error. No
    link in the product ever contains one; forms already refuse it (Django's form fields
    reject NUL). The API answers in problem+json like its other errors.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query or "\x00" in request.path:
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _refuse(request):
        from django.http import JsonResponse
        from django.shortcuts import render
        from django.utils.translation import gettext as _

        message = _(
            "Het adres bevat een ongeldig teken (een NUL-teken). Gebruik de links en knoppen "
            "op de pagina, of typ het adres opnieuw."
        )
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "type": "about:blank",
                    "title": "Ongeldige invoer",
                    "status": 400,
                    "detail": message,
                    "instance": request.path.replace("\x00", ""),
                },
                status=400,
                content_type="application/problem+json",
            )
        return render(request, "400.html", {"message": message}, status=400)

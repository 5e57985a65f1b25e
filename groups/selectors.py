from .models import Profile


def profile_get() -> Profile | None:
    return Profile.objects.filter(id=1).first()

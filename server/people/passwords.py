"""Password strength: a new password must be hard to guess, judged by zxcvbn (its lists of
common passwords, names and words, keyboard patterns, repeats and dates), with the person's
own username and display name counted as guessable.

A weak password is a 422 problem whose type ends in `password-too-weak`, so the app can say
it in the person's language; the errors carry the message in English and Chinese as well.
"""

from __future__ import annotations

from zxcvbn import zxcvbn

from server.platform.errors import ApiError
from server.platform.field_codes import coded

# zxcvbn's score: 3 is "safely unguessable" (about 10^8 guesses, beyond an online attack and
# a slow argon2 hash for long). The demo password "rounds-demo" scores 3.
MIN_SCORE = 3
# zxcvbn judges at most 72 characters; a longer password is as strong as its first 72 at least.
_JUDGED_CHARS = 72
WEAK_TITLE = (
    "Password too weak"  # its problem type: https://rounds.invalid/problems/password-too-weak
)


class PasswordTooWeak(ApiError):
    def __init__(self, hint: str) -> None:
        english = (
            "This password is too easy to guess"
            + (f" ({hint})" if hint else "")
            + ": use a longer one, for example a few unrelated words."
        )
        chinese = "密码太容易被猜到：请使用更长的密码，例如几个不相关的词。"  # noqa: RUF001
        super().__init__(
            422,
            english,
            title=WEAK_TITLE,
            errors={
                "password": [
                    coded(english, "weak_password", hint=hint or None),
                    coded(chinese, "weak_password", hint=hint or None),
                ]
            },
        )


def check_strength(password: str, *, username: str, display_name: str | None = None) -> None:
    """Raise PasswordTooWeak unless the password scores MIN_SCORE or more."""
    inputs = [value for value in (username, display_name) if value]
    # Name parts too: "li.na" and "Li Na" make "lina2024" guessable.
    inputs += [part for value in list(inputs) for part in value.replace(".", " ").split()]
    result = zxcvbn(password[:_JUDGED_CHARS], user_inputs=inputs)
    if result["score"] < MIN_SCORE:
        warning = (result.get("feedback") or {}).get("warning") or ""
        raise PasswordTooWeak(warning.rstrip(".").lower() if warning else "")

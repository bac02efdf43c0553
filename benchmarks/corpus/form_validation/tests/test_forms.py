from formcheck import Email, Field, Form, Integer


class SignupForm(Form):
    name = Field(required=True, label="Name")
    email = Email(required=True)
    age = Integer(minimum=16, maximum=120)


def test_valid_signup():
    form = SignupForm({"name": " Ada ", "email": "Ada@Example.org", "age": "36"})
    assert form.is_valid()
    assert form.cleaned == {"name": "Ada", "email": "ada@example.org", "age": 36}


def test_missing_required_field():
    form = SignupForm({"email": "ada@example.org"})
    assert not form.is_valid()
    assert form.errors == {"name": "Name is required"}


def test_blank_counts_as_missing():
    form = SignupForm({"name": "   ", "email": "ada@example.org"})
    assert not form.is_valid()


def test_bad_email_and_age():
    form = SignupForm({"name": "Ada", "email": "ada-at-example", "age": "12"})
    form.is_valid()
    assert form.errors == {"email": "email: not a valid e-mail address", "age": "age: must be at least 16"}


def test_multi_value_field_uses_first_non_blank():
    form = SignupForm({"name": ["", "Grace"], "email": "g@example.org"})
    assert form.is_valid()
    assert form.cleaned["name"] == "Grace"


def test_inherited_fields():
    class Extended(SignupForm):
        city = Field()

    assert list(Extended.fields()) == ["name", "email", "age", "city"]

"""Every API schema has its own name: django-ninja files schemas under their class name,
so two apps' ``AnswerOut`` would silently share one definition in the OpenAPI document."""

from collections import defaultdict

from ninja import Schema

from saypro.api import api


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def test_no_two_api_schemas_share_a_name():
    api.get_openapi_schema()  # imports every router's schemas
    modules = defaultdict(set)
    for schema in subclasses(Schema):
        if schema.__module__.startswith("saypro."):
            modules[schema.__name__].add(schema.__module__)

    assert {name: found for name, found in modules.items() if len(found) > 1} == {}

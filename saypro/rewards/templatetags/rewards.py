"""``{% store_badges store %}``: the badges a store holds, for the pages that show a store."""

from django import template

from saypro.rewards import selectors

register = template.Library()


@register.inclusion_tag("rewards/partials/badges.html")
def store_badges(store):
    return {"awards": selectors.badges_for_store(store)}

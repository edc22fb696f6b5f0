"""The organisation page's warning of contacts whose email was refused."""

from django import template

from ceop_crm.bounces import email_bounce_map

register = template.Library()


@register.simple_tag
def bounced_contacts(contacts) -> list[tuple]:
    """[(contact, bounce)] of the contacts whose address the mail server refused;
    one query, none without addresses."""
    bounces = email_bounce_map(addresses=[c.email for c in contacts if c.email])
    return [
        (contact, bounces[contact.email.strip().lower()])
        for contact in contacts
        if contact.email and contact.email.strip().lower() in bounces
    ]

"""``{% result_rows cl %}``: Django's ``{% result_list cl %}`` with the rows of
``ceop_crm.admin_rows`` (templates/admin/change_list.html uses it)."""

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode

from ceop_crm.admin_rows import result_list

register = template.Library()


@register.tag(name="result_rows")
def result_rows_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )

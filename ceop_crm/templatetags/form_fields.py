"""Form fields written in Python rather than a template per field and per
option (ceop_crm.forms): ``{% select field %}``, a select box (the filter
panels), and ``{% field_widget field %}``, any field's widget with Bootstrap's
class (templates/partials/form_fields.html)."""

from django import template

from ceop_crm.forms import field_widget_html, select_html

register = template.Library()
register.simple_tag(select_html, name="select")
register.simple_tag(field_widget_html, name="field_widget")

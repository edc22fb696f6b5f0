"""``{% field_widget field %}``: a form field's widget with Bootstrap's class,
select boxes rendered in Python (ceop_crm.forms); the fields of a form shown
often, without a template per field and per option
(templates/partials/form_fields.html)."""

from django import template

from ceop_crm.forms import field_widget_html

register = template.Library()
register.simple_tag(field_widget_html, name="field_widget")

"""``{% row_cells row cells today %}``: a list row's cells, written in Python
(``ceop_crm.lists.cells``) rather than a template per cell."""

from django import template

from ceop_crm.lists import cells as list_cells

register = template.Library()


@register.simple_tag
def row_cells(row, cells, today):
    return list_cells.row_cells(row, cells, today)

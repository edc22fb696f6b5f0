"""The organisation list as a report: the page's columns, to download as CSV or XLSX."""

from datetime import date

from partners.selectors import organisation_list


def report_organisations(*, today: date, **_):
    """Every organisation with its level, status, owner, MoU and reviews, by name."""
    from partners.click_through import links_organisations
    from partners.reports import NO_LEVEL, Report

    report = Report(
        slug="organisations",
        title="Organisations",
        description="Every organisation with its level, owner, MoU and reviews.",
        columns=[
            "Organisation",
            "Sector",
            "Status",
            "Level",
            "Owner",
            "Country",
            "Website",
            "MoU in force until",
            "Next review due",
            "Overdue reviews",
            "At risk",
        ],
    )
    pks = []
    for organisation in organisation_list(today=today):
        pks.append(organisation.pk)
        owner = organisation.owner
        at_risk = organisation.at_risk_mou or organisation.at_risk_due_diligence
        report.rows.append(
            [
                organisation.name,
                organisation.get_sector_display(),
                organisation.get_status_display(),
                organisation.tier_name or NO_LEVEL,
                (owner.get_full_name() or owner.get_username()) if owner else "",
                organisation.country,
                organisation.website,
                organisation.mou_in_force_end,
                organisation.next_review_due,
                organisation.overdue_reviews,
                "yes" if at_risk else "",
            ]
        )
        if at_risk:
            report.highlight.add(len(report.rows) - 1)
    links_organisations(report, organisation_pks=pks)
    return report

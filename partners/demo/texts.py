"""Wording of the demo data set: plausible, generic and fictitious."""

from partners.models import ContributionKind, Sector

DESCRIPTIONS = {
    Sector.INDUSTRY: (
        "A technology company whose services are used every day by children and young people.",
        "Runs online platforms with a large under-18 audience in the UK.",
        "Builds tools that detect and block harmful content at scale.",
        "A fast-growing company offering messaging and social features.",
    ),
    Sector.VOLUNTARY: (
        "A charity supporting children, young people and their families.",
        "Runs helplines and outreach for young people at risk of exploitation.",
        "Works with parents and carers on keeping children safe online.",
    ),
    Sector.PUBLIC: (
        "A public body with safeguarding responsibilities for children in its area.",
        "Commissions and delivers services for vulnerable children and families.",
    ),
    Sector.ACADEMIC: (
        "Research into online child sexual exploitation and offender behaviour.",
        "Teaching and research in digital forensics and child protection.",
    ),
    Sector.INTERNATIONAL: (
        "An international organisation working across borders on child online safety.",
        "Coordinates reporting hotlines and law enforcement contacts in several countries.",
    ),
    Sector.OTHER: (
        "A membership body whose members reach parents, carers and young people.",
        "A representative body for an industry whose products reach children.",
    ),
}
SUPPLIER_DESCRIPTION = "Supplies goods or services to CEOP under contract; paid in full, not an association."

DUE_DILIGENCE_EVIDENCE = (
    "Confirmed at the assessment meeting.",
    "Evidenced in the organisation's published policies.",
    "References taken from two existing partners.",
    "Board minutes and annual report reviewed.",
    "Safeguarding policy seen and checked against CEOP's standard.",
    "Set out in the organisation's written proposal.",
)
DUE_DILIGENCE_NOTES = (
    "No concerns found.",
    "Minor points on data handling agreed with the organisation.",
    "Media search found nothing of concern.",
    "",
)
DUE_DILIGENCE_PENDING_EVIDENCE = (
    "Awaiting the organisation's safeguarding policy.",
    "Follow-up questions sent; reply awaited.",
    "To be discussed at the next assessment meeting.",
)
DUE_DILIGENCE_REJECTED_NOTES = (
    "Media search found an unresolved complaint about the handling of children's data.",
    "The organisation's advertising model conflicts with CEOP's brand.",
)

JUDGED_EVIDENCE = (
    "Discussed at the partnership board and agreed by both sides.",
    "Evidenced by the joint work plan for the year.",
    "Benefits for both parties are set out in the business case.",
    "Long-term potential identified in the joint road map.",
    "Track record of delivery over the previous year.",
)
AUTOMATIC_EVIDENCE = {
    "mou_in_force": "A signed MoU is in force.",
    "market_equally": "The MoU commits both sides to market the partnership equally.",
    "monitoring_quarterly": "Quarterly monitoring agreed with the partner's lead.",
    "monitoring_annual": "Annual monitoring agreed with the organisation.",
    "objectives_several": "Contributes to several Centre Plan objectives.",
    "objectives_one": "Contributes to at least one Centre Plan objective.",
    "ownership_hierarchy": "Named owners at each escalation level on both sides.",
    "contribution_active": "Support is agreed and being delivered.",
}
REASON_START = (
    "Due diligence approved and support agreed; {tier} association recommended."
)
REASON_UP = "Sustained delivery against Centre Plan objectives; ready for a deeper relationship."
REASON_DOWN = (
    "Support has narrowed to a single activity; a lighter relationship fits better."
)
REASON_DOWN_MOU = "The MoU was not renewed; support continues at a lighter level."
REASON_END = (
    "The organisation's support has come to a natural end.",
    "The organisation chose not to continue after a change of ownership.",
    "The contract ended and was not re-let.",
)
REASON_PENDING_UP = "Recent reviews recommend a move up; the partner has asked for it."
REASON_REJECTED = (
    "Not yet: delivery against the Centre Plan objectives is still to be shown."
)

CONTRIBUTION_TITLES = {
    ContributionKind.TACTICAL: (
        "Rapid disclosure of account data for live investigations",
        "Out-of-hours contact for urgent safeguarding requests",
    ),
    ContributionKind.EMBEDDED_STAFF: (
        "Analyst seconded to the intelligence team",
        "Engineer embedded with the digital forensics team",
    ),
    ContributionKind.TECHNICAL: (
        "Image classification model for triage",
        "Hash matching at upload",
        "Secure transfer of referrals",
    ),
    ContributionKind.SAFER_DESIGN: (
        "Safety-by-design review of new teen features",
        "Default privacy settings for under-18 accounts",
    ),
    ContributionKind.DATA_ACCESS: (
        "Aggregated trend data on reported grooming",
        "Access to anonymised referral data",
    ),
    ContributionKind.EXPERTISE: (
        "Advice on end-to-end encryption",
        "Behavioural science input to awareness campaigns",
    ),
    ContributionKind.TRAINING: (
        "Training for moderators on recognising grooming",
        "Workshops for school staff",
    ),
    ContributionKind.FUNDING: (
        "Funding for the parents and carers programme",
        "Grant towards the schools education resources",
    ),
    ContributionKind.OTHER: (
        "Venue and catering for the annual partners' day",
        "Free advertising space for awareness campaigns",
    ),
}
CONTRIBUTION_OUTCOMES = (
    "Delivered as agreed; time to act on referrals fell noticeably.",
    "Completed; the materials reached schools across the region.",
    "Completed; findings fed into the Strategic Threat Assessment.",
    "Delivered on time; both sides want to repeat it next year.",
)

ISSUE_TITLES = (
    "Delays in the agreed data sharing",
    "Joint press release issued without CEOP sign-off",
    "Vetting of the embedded analyst held up",
    "Referral volumes below the agreed level",
    "Staff changes left no named contact",
    "Disagreement over the scope of the technical work",
    "Late self-assessment for the quarterly review",
    "Use of the partnership name outside the agreed terms",
)
ISSUE_RESOLUTIONS = (
    "Agreed a revised timetable at the quarterly review.",
    "New named contact confirmed in writing.",
    "Scope agreed in a short variation letter.",
    "Both communications teams agreed a sign-off process.",
)

PROPOSAL_OFFERS = {
    ContributionKind.TECHNICAL: "Engineering time to adapt our detection tools to CEOP's needs.",
    ContributionKind.TRAINING: "Free places for CEOP staff on our training courses.",
    ContributionKind.EXPERTISE: "Our research team's findings and advice, shared under agreement.",
    ContributionKind.DATA_ACCESS: "Anonymised trend data from our services every quarter.",
    ContributionKind.FUNDING: "A grant towards CEOP's education programme.",
    ContributionKind.EMBEDDED_STAFF: "A specialist seconded to CEOP for six months.",
    ContributionKind.SAFER_DESIGN: "Joint work on safer default settings for young users.",
    ContributionKind.TACTICAL: "A priority channel for urgent requests from investigators.",
    ContributionKind.OTHER: "Advertising space for CEOP's awareness campaigns.",
}
PROPOSAL_TITLES = {
    ContributionKind.TECHNICAL: "Detection tooling offer",
    ContributionKind.TRAINING: "Training places",
    ContributionKind.EXPERTISE: "Research partnership",
    ContributionKind.DATA_ACCESS: "Quarterly trend data",
    ContributionKind.FUNDING: "Education programme grant",
    ContributionKind.EMBEDDED_STAFF: "Secondment offer",
    ContributionKind.SAFER_DESIGN: "Safer design collaboration",
    ContributionKind.TACTICAL: "Priority request channel",
    ContributionKind.OTHER: "Campaign advertising space",
}
DECLINE_REASONS = (
    "Duplicates support already provided by an existing partner.",
    "Outside CEOP's current priorities for external support.",
    "The commercial terms would make this a supplier contract, not an association.",
    "No capacity to take this on in this planning year.",
)
NEW_THREATS = (
    "Offenders moving victims to newly launched private video rooms.",
    "Coercion through fake modelling agency profiles.",
)

REVIEW_PROGRESS = (
    "Good progress against the agreed Centre Plan objectives.",
    "On track; one activity delayed by staff changes on the partner's side.",
    "Steady delivery; referral quality has improved.",
    "Slower than planned this quarter; a recovery plan is agreed.",
)
REVIEW_BENEFITS_CEOP = (
    "Faster responses to urgent requests.",
    "Specialist skills not otherwise available to CEOP.",
    "Wider reach of awareness messages.",
)
REVIEW_BENEFITS_PARTNER = (
    "Recognition in CEOP's communications as agreed.",
    "Access to CEOP expertise and training.",
    "Invitation to partner briefings.",
)
SELF_ASSESSMENT = {
    "progress": "We delivered what we agreed for the period.",
    "benefits_received": "Briefings and training from CEOP were valuable to our teams.",
    "benefits_given": "Staff time, data and tools as set out in the work plan.",
    "improvements": "Earlier notice of CEOP's priorities would help our planning.",
}

CENTRE_PLAN_OBJECTIVES = (
    ("CP1", "Increase the number of children safeguarded through victim identification", "PROTECT"),
    ("CP2", "Reduce the time from an industry report to action", "PURSUE"),
    ("CP3", "Reach more parents and carers with awareness education", "PREVENT"),
    ("CP4", "Extend the national hash set to new categories of imagery", "PURSUE"),
    ("CP5", "Strengthen international partnerships against offending abroad", "PURSUE"),
    ("CP6", "Improve the quality of intelligence received from partners", "PROTECT"),
)  # fmt: skip
THREATS = (
    ("Live-streamed abuse commissioned from overseas", False),
    ("Financially motivated sexual extortion of teenagers", False),
    ("Grooming through in-game chat and voice channels", False),
    ("Computer-generated indecent imagery of children", True),
    ("Coerced self-generated imagery", False),
    ("Sharing of imagery in encrypted group chats", False),
)

CEOP_SIGNATORIES = ("Deputy Director, CEOP", "Director of Partnerships, CEOP")
OWNERSHIP_ROLES = {
    "ceop": ("Relationship manager", "Senior manager, Partnerships", "Deputy Director"),
    "partner": ("Partnership lead", "Head of Trust and Safety", "Chief Executive"),
}

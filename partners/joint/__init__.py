"""Joint support: a contribution led by one organisation with others taking part.

The strategy encourages "our partners and supporters to work together wherever
possible to maximise the impact of their support". A contribution keeps its lead
organisation (who records and changes it); the organisations working with it are
``ContributionParty`` rows, added and removed through ``partners.joint.services``
and read through ``partners.joint.selectors``.
"""

"""The strategy's reference data: objectives, priority areas and principles.

Every text is copied verbatim from the Relationship Management Strategy (the
seed), keeping its spelling and its mix of straight and curly apostrophes;
only the appendix's <p></p> tags are dropped. tests/priorities/test_reference_data.py
checks each row against the seed itself.
"""

from django.db import migrations

# (code, description), in the order PREVENT, PROTECT, PURSUE.
OBJECTIVES = [
    ("PREVENT", "Making it more difficult to exploit children"),
    ("PROTECT", "Identify and safeguard children at risk"),
    ("PURSUE", "Identify offenders and stop or disrupt their activity"),
]

# (number, title, summary of activity, objective codes), as the appendix rows.
PRIORITY_AREAS = [
    (
        1,
        "Help enhance the development and delivery of CEOP’s new Digital Forensic Service",
        "Child sex offenders are increasingly exploiting developments in technology to store and hide illegal material on their computers and other devices. In response, CEOP is developing a cutting edge forensic support service for UK and international police forces. This service will enhance the UK’s national response to tackling online child abuse investigations, enabling us to identify child victims and offenders more quickly.",
        ("PROTECT", "PURSUE"),
    ),
    (
        2,
        "Help enhance the development and delivery of a national hash set database",
        "There are vast numbers of indecent images of children circulating across the internet. Many of these images are already known to police. A priority for CEOP is to identify any new images as quickly as possible to begin the investigation into locating the victim(s). To improve the efficiency of victim identification work across the UK, CEOP is developing a national hash set database which will contain details of the hash sets of all known images. Local police forces will be able to access this database to improve the speed in which they can forensically examine seized devices and identify any new images. They can then share information about new images with CEOP. This service needs to be as automated and efficient as possible to improve the speed in which victims and offenders are identified. This will also enable local police forces to dedicate more time to front line police work. It may be possible in the future for this database to be accessed by industry.",
        ("PROTECT", "PURSUE"),
    ),
    (
        3,
        "Help improve CEOP’s information collection processes",
        "CEOP receives cases of suspected online child exploitation from members of the public, industry and other law enforcement agencies. On average this was 725 cases per month in 2010/11. This information is processed and stored by CEOP to identify the suspect and victim, identify the appropriate local law enforcement agency to disseminate the information to, and ensure that links and patterns between cases can be identified. CEOP needs to automate as much of these processes as possible to ensure that its staff can dedicate more time to front line child protection work.",
        ("PREVENT", "PROTECT", "PURSUE"),
    ),
    (
        4,
        "Help enhance CEOP’s data analysis capability",
        "Online child abuse investigations often involve very large numbers of suspects; sometimes thousands for one investigation alone. The bulk data that is obtained in each investigation is used to build an intelligence picture and identify and prioritise each suspect based on their level of risk to children. However to enable CEOP to build the intelligence picture, the bulk data needs to be transformed into a useable format that can be analysed to ensure that suspects can be risk assessed and networks, patterns and trends can be identified as speedily as possible.",
        ("PREVENT", "PROTECT", "PURSUE"),
    ),
    (
        5,
        "Help improve CEOP’s access to data sources",
        "CEOP proactively investigates online child abuse through a range of online methods. To enable CEOP to undertake this activity as effectively and efficiently as possible, it needs have access to all the necessary and available data sources (open source, closed, privileged) and search across a range of data sets. This is essential to support CEOP in proactively identifying potential offenders.",
        ("PROTECT", "PURSUE"),
    ),
    (
        6,
        "Help enhance CEOP’s access to specialist child protection advice and support",
        "CEOP adopts an holistic approach to its work. We use specialist, external child protection advice and support to inform and enhance our law enforcement response. This ensures that CEOP’s services are child-focused and that the needs of the child are always paramount in our operations.",
        ("PREVENT", "PROTECT", "PURSUE"),
    ),
    (
        7,
        "Help enhance the development and delivery of CEOP’s awareness raising programme for parents and carers",
        "CEOP is developing a new awareness raising programme for parents and carers. This programme aims to improve the knowledge and skills of parents/carers in the complex issues their children face online. Once developed, CEOP needs to ensure its programme reaches as many parents/carers as possible to empower them to keep their children safe online.",
        ("PREVENT", "PROTECT", "PURSUE"),
    ),
    (
        8,
        "Help enhance the delivery of CEOP’s International Strategy",
        "Offenders will try to evade criminal prosecution by travelling to areas of the world where they feel children are more vulnerable. CEOP’s International Strategy oversees our response to this threat. The key delivery aspect of this strategy is CEOP’s International Child Protection Network (ICPN) which helps us build relationships in countries where we know that children have been targeted by offenders travelling from the UK. We also work in countries known to be significant producers of indecent images of children. We work in these countries to share knowledge about offender behaviour, share best practice in protecting children and locating offenders, and improve intelligence flows across geographic borders. We aim to close all opportunities for offenders to operate, no matter where they want to travel.",
        ("PREVENT",),
    ),
    (
        9,
        "Help support CEOP’s Technology Advisory Groups",
        "CEOP is often presented with complex issues relating to online environments or specific technologies that are being exploited by offenders. CEOP is also seeking to understand how to make best use of technical opportunities to disrupt offenders online as individuals or targeting a specific environment. Bringing together relevant technical experts who can help to problem solve and brainstorm potential solutions enables CEOP to improve its response and proactively disrupt and deter offenders’ illegal activity online.",
        ("PREVENT", "PROTECT", "PURSUE"),
    ),
    (
        10,
        "Help enhance CEOP’s use of social media",
        "CEOP needs to proactively identify effective channels of engagement with the public to increase awareness of, and access to, our advice, help and reporting services. CEOP is increasingly utilising social media to reach the public and, as a consequence, empowering more people with our online safety messages. A presence in social media also acts as a strong and visible deterrent message to offenders. CEOP is in the process of developing a forward thinking social media strategy to plan a more strategic approach in this area.",
        ("PREVENT",),
    ),
    (
        11,
        "Help enhance the delivery of CEOP’s response to Missing and Abducted Children",
        "From 1 July 2011, CEOP will assume responsibility for the national oversight of Missing and Abducted Children. There are an estimated 230,000 incidents of children who go missing from home or care each year. While the majority return home with 48 hours, some do not and others suffer some form of harm when they are away. CEOP’s aim is to understand why children go missing and what happens to them while they are away, which will help to safeguard and protect vulnerable children - through learning lessons to reduce the number of children going missing and being better prepared to deal with incidents and their consequences when they occur.",
        ("PREVENT", "PROTECT", "PURSUE"),
    ),
]

# (title, text) of the eight principles, in the seed's order.
PRINCIPLES = [
    (
        "Support the delivery of CEOP's objectives",
        "CEOP will work with a group of organisations to tackle the threats that are currently presenting the greatest danger to our children. These threats are identified in CEOP's annual Strategic Threat Assessment which we use to help prioritise who we need to work with to make the biggest impact on protecting children.",
    ),
    (
        "Be proactive not reactive",
        "CEOP will identify specific areas of our work that could be enhanced by external support. We will seek help in these areas from our existing partners and approach new organisations where relevant. Whilst we will be receptive to approaches from potential new partners throughout the year, approaches need to be linked to the delivery of CEOP's services or help address any new threats that emerge during the year.",
    ),
    (
        "Deliver benefits for both parties",
        "All our relationships will be mutually beneficial so everyone can see clearly the valuable child protection outcomes that are achieved as a result. Our relationships will be identified through a tiered approach (please see page 10 for more detail), with the level of benefits they receive, commensurate to the type of support provided.",
    ),
    (
        "Be creative and innovative",
        "The nature of the crime we are tackling means that often we have to find creative and innovative solutions to help us improve our response. The rapidly changing online environment, coupled with developments in young people's behaviour means that we regularly have to adapt our approach to keep one step ahead of offenders and ensure our safety messages to the public remain contemporary. We request that our partners and supporters adopt the same creative, innovative and flexible approach to help us remain at the cutting edge.",
    ),
    (
        "Build knowledge and share expertise",
        "Building understanding of the crime is critical to the development of solutions to combat it. CEOP is committed to sharing its knowledge and understanding of child exploitation to increase our partners and supporters' ability to develop solutions. We also look to our partners and supporters to use the information they learn from CEOP to help shape any services they provide for children and young people.",
    ),
    (
        "Be sustainable and encourage higher levels of commitment and engagement",
        "We seek to create long term relationships that can develop over time to increase their impact on tackling child exploitation. We encourage partners and supporters to aspire to higher levels of commitment once they can see the tangible benefits of their support to CEOP and understand the valuable contribution they are making to protecting our children. We also encourage our partners and supporters to work together wherever possible to maximise the impact of their support.",
    ),
    (
        "Be ethically sound and transparent",
        "CEOP must only enter into relationships with organisations that support our ethos, adopt an ethical approach to their work, have appropriate child protection procedures in place (where relevant), and do not pose any obvious risk to CEOP's brand and reputation through association.",
    ),
    (
        "Encourage ethical challenge, listen to and respect the views of others",
        "We recognise and embrace differences of opinion and will show understanding of our partners and supporters' priorities and constraints. We ask that our partners and supporters adopt the same approach towards us.",
    ),
]


def load(apps, schema_editor):
    Objective = apps.get_model("priorities", "Objective")
    PriorityArea = apps.get_model("priorities", "PriorityArea")
    Principle = apps.get_model("priorities", "Principle")

    objectives = {
        code: Objective.objects.create(code=code, description=description, order=order)
        for order, (code, description) in enumerate(OBJECTIVES, start=1)
    }
    for number, title, summary, codes in PRIORITY_AREAS:
        area = PriorityArea.objects.create(number=number, title=title, summary=summary)
        area.objectives.set([objectives[code] for code in codes])
    Principle.objects.bulk_create(
        Principle(order=order, title=title, text=text)
        for order, (title, text) in enumerate(PRINCIPLES, start=1)
    )


def unload(apps, schema_editor):
    apps.get_model("priorities", "Principle").objects.filter(
        order__in=range(1, len(PRINCIPLES) + 1)
    ).delete()
    apps.get_model("priorities", "PriorityArea").objects.filter(
        number__in=[row[0] for row in PRIORITY_AREAS]
    ).delete()
    apps.get_model("priorities", "Objective").objects.filter(
        code__in=[code for code, _ in OBJECTIVES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("priorities", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]

"""Scotland's council areas, NHS boards, NTTP practice levels, principles, sectors and organisations."""

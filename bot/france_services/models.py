"""SQLAlchemy model of the ``france_services`` table (one row per France Services point)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Float, String, Text
from sqlalchemy.orm import declarative_base

Base = declarative_base()

KINDS = ("fixed", "bus", "itinerant", "multisite", "antenna")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat")


class FranceServicesPoint(Base):
    """One France Services point, as in the normalised ANCT CSV."""

    __tablename__ = "france_services"

    id = Column(String(32), primary_key=True)
    name = Column(String(255), nullable=False)
    kind = Column(String(16), nullable=False)
    structure_type = Column(String(32), nullable=False, default="")
    format_raw = Column(String(64), nullable=False, default="")
    address = Column(Text, nullable=False, default="")
    address_complement = Column(Text, nullable=False, default="")
    postcode = Column(String(10), nullable=False, default="")
    commune = Column(String(255), nullable=False, default="")
    insee_code = Column(String(10), nullable=False, default="")
    dep_code = Column(String(3), nullable=False, default="")
    full_address = Column(Text, nullable=False, default="")
    latitude = Column(Float, nullable=False)
    longitude = Column(Float, nullable=False)
    phone = Column(String(64), nullable=False, default="")
    email = Column(String(255), nullable=False, default="")
    hours_mon = Column(String(255), nullable=False, default="")
    hours_tue = Column(String(255), nullable=False, default="")
    hours_wed = Column(String(255), nullable=False, default="")
    hours_thu = Column(String(255), nullable=False, default="")
    hours_fri = Column(String(255), nullable=False, default="")
    hours_sat = Column(String(255), nullable=False, default="")
    appointment = Column(Boolean, nullable=False, default=False)
    comment = Column(Text, nullable=False, default="")
    group = Column(String(255), nullable=False, default="")
    labelled_since = Column(Date, nullable=True)

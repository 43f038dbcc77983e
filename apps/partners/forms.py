from apps.core.forms import PortalModelForm

from .models import Contact, Partner
from .services import CONTACT_FIELDS, PARTNER_FIELDS


class PartnerForm(PortalModelForm):
    class Meta:
        model = Partner
        fields = PARTNER_FIELDS


class ContactForm(PortalModelForm):
    class Meta:
        model = Contact
        fields = CONTACT_FIELDS

"""The Contacts tab: every contact in a table, and one form to add the next person or edit any field of one.

Adding stays on "New contact" with an empty form, so that six people typed one after another are six
contacts; editing someone is an explicit choice in the selector. Errors show next to the form.
"""

from __future__ import annotations

import streamlit as st

from analytics import pipeline
from analytics.models import HOW_FOUND, Contact
from analytics.store import Store
from pages.support import cache
from pages.support.feedback import callback_action, flash, show_flashes
from pages.support.text import md
from pages.support.widgets import fresh_choice

CONTACT_PICK_KEY = "pipeline_contact_pick"
NEW = -1
SLOT = "contacts"
FIELDS = ("role", "organisation", "how_found", "introduced_by", "email", "notes")


def render_contacts(store: Store) -> None:
    """Every contact in a table, and a form to add one or edit any field of one."""
    show_flashes()
    st.subheader("Contacts")
    contacts = cache.contacts(store)
    if contacts:
        import pandas as pd  # here, not at the top: the Overview imports the sections and needs no pandas

        st.dataframe(
            pd.DataFrame(pipeline.contact_rows(contacts, cache.interviews(store))),
            hide_index=True,
            column_config={"email or link": st.column_config.TextColumn("email or link")},
        )
    else:
        st.caption("No contacts yet: friends and relatives first, then alumni, LinkedIn, associations, unions.")
    ids = [NEW, *(c.id for c in contacts)]
    names = {c.id: c.name for c in contacts}
    fresh_choice(CONTACT_PICK_KEY, ids, default=NEW)
    picked = st.selectbox(
        "Add or edit",
        ids,
        key=CONTACT_PICK_KEY,
        format_func=lambda cid: "New contact" if cid == NEW else names.get(cid, "?"),
        help="New contact adds the next person; pick someone to change what you know about them.",
    )
    contact = next((c for c in contacts if c.id == picked), None)
    contact_form(store, contact)


def contact_form(store: Store, contact: Contact | None) -> None:
    prefix = f"contact_{contact.id if contact else 'new'}"
    options = list(HOW_FOUND)
    current = contact.how_found if contact else ""
    if current and current not in options:
        options.append(current)
    with st.form(prefix):
        left, right = st.columns(2)
        left.text_input("Name", value=contact.name if contact else "", key=f"{prefix}_name")
        right.text_input("Role", value=contact.role if contact else "", key=f"{prefix}_role")
        left.text_input("Organisation", value=contact.organisation if contact else "", key=f"{prefix}_organisation")
        right.selectbox(
            "How you found them",
            options,
            key=f"{prefix}_how_found",
            index=options.index(current) if current in options else None,
            placeholder="Pick one",
            format_func=pipeline.how_found_label,
        )
        left.text_input("Introduced by", value=contact.introduced_by if contact else "", key=f"{prefix}_introduced_by")
        right.text_input("Email or profile link", value=contact.email if contact else "", key=f"{prefix}_email")
        st.text_area("Notes", value=contact.notes if contact else "", key=f"{prefix}_notes", height=80)
        st.form_submit_button(
            "Save contact" if contact else "Add contact",
            type="primary",
            on_click=save_contact,
            args=(store, contact.id if contact else None, prefix),
        )
    show_flashes(SLOT)
    if contact is not None:
        confirm = st.checkbox("Yes, delete this contact (their interviews stay)", key=f"{prefix}_confirm")
        st.button(
            "Delete contact",
            key=f"{prefix}_delete",
            disabled=not confirm,
            on_click=delete_contact,
            args=(store, contact.id, contact.name),
        )


def save_contact(store: Store, contact_id: int | None, prefix: str) -> None:
    state = st.session_state
    name = (state.get(f"{prefix}_name") or "").strip()

    def act() -> None:
        fields = {f: state.get(f"{prefix}_{f}") or "" for f in FIELDS}
        if contact_id is None:
            store.add_contact(name, **fields)
            for field in ("name", *FIELDS):  # an empty form, still on "New contact", for the next person
                state[f"{prefix}_{field}"] = None if field == "how_found" else ""
            state[CONTACT_PICK_KEY] = NEW
            flash(f"{md(name)} added. The form is ready for the next person.")
        else:
            store.save_contact(name, contact_id, **fields)
            flash(f"{md(name)} saved.")

    callback_action(act, slot=SLOT)


def delete_contact(store: Store, contact_id: int, name: str) -> None:
    def act() -> None:
        store.delete_contact(contact_id)
        st.session_state[CONTACT_PICK_KEY] = NEW
        flash(f"{md(name)} deleted.")

    callback_action(act, slot=SLOT)

def test_the_audit_trail_shows_who_changed_what_and_filters_by_record_user_and_date(world, client_for):
    admin = client_for("admin")
    admin.post(
        "/partners/havering/edit/",
        {
            "name": "London Borough of Havering",
            "short_name": "Havering",
            "kind": "founding_partner",
            "arrangement": "joint_committee",
            "sector": "london_borough",
            "joined_on": "2014-04-01",
            "customer_count": 1,
            "notes": "Client lead changed in May",
        },
    )
    entries = admin.get("/audit/?model=partners.partner&user=admin").context["entries"]
    assert entries[0]["what"] == "partner" and entries[0]["action"] == "Changed"
    assert entries[0]["who"].username == "admin"
    assert ("Notes", "–", "Client lead changed in May") in entries[0]["changes"]
    assert entries[0]["url"] == "/partners/havering/"
    assert admin.get("/audit/?user=committee").context["entries"] == []
    assert admin.get("/audit/?model=partners.partner&until=2000-01-01").context["entries"] == []


def test_only_admins_see_the_audit_trail(world, client_for):
    assert client_for("director.ict").get("/audit/").status_code == 404

"""Reply by email: `flask receive-mail` takes replies to notification emails and posts them as the person."""

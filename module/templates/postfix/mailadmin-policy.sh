#!/bin/sh
# MailAdmin group sender policy, written by Export-MailServerConfig (MailAdmin {{Version}}) for the Local store {{StorePath}}.
# A Postfix policy delegation server (SMTPD_POLICY_README) run by spawn(8) with the connection on stdin/stdout. Postfix asks
# it only for groups whose WhoCanSend is Members or Listed (postfix_group_policy names the restriction class that calls it).
#   Members: the sender must be a member of the group; Listed: the sender must be one of its AllowedSenders.
#   The sender is the SASL login and the envelope sender when the client logged in (the submission ports already refuse an
#   envelope sender the login does not own); without a login only an address outside this server's domains counts, so
#   nobody can pass as an internal member from outside.
# Needs the store's command-line client (SQLite store: sqlite3; PostgreSQL store: psql, Debian's postgresql-client). When a
# lookup fails the answer is a temporary failure, never a pass.
store="$1"

sql_text() { printf '%s' "$1" | tr 'A-Z' 'a-z' | sed "s/'/''/g"; }

decide() {
    rcpt=$(sql_text "$recipient")
    base=$(printf '%s' "$rcpt" | sed 's/+[^@]*@/@/')
    snd=$(sql_text "$sender")
    login=$(sql_text "$sasl_username")
    sdom=${snd#*@}
    # a bounded wait: 3 s for a writer's lock, 10 s in all, then the mail is deferred (never passed)
    answer=$(timeout 10 {{PolicyQueryCommand}} "
        WITH g AS (SELECT address, who_can_send FROM mail_group WHERE address IN ('$rcpt', '$base') LIMIT 1),
             ids(id) AS (
                 SELECT '$login' WHERE '$login' <> ''
                 UNION SELECT '$snd' WHERE '$login' <> '' AND '$snd' <> ''
                 UNION SELECT '$snd' WHERE '$login' = '' AND '$snd' LIKE '%_@_%'
                     AND NOT EXISTS (SELECT 1 FROM postfix_domains WHERE domain = '$sdom'))
        SELECT CASE
            WHEN NOT EXISTS (SELECT 1 FROM g) THEN 'DUNNO'
            WHEN (SELECT who_can_send FROM g) = 'Members' THEN
                CASE WHEN EXISTS (SELECT 1 FROM group_member m, g WHERE m.group_address = g.address AND m.member IN (SELECT id FROM ids))
                     THEN 'DUNNO' ELSE 'REJECT 5.7.1 only members of ' || (SELECT address FROM g) || ' may send to it' END
            WHEN (SELECT who_can_send FROM g) = 'Listed' THEN
                CASE WHEN EXISTS (SELECT 1 FROM group_sender s, g WHERE s.group_address = g.address AND s.sender IN (SELECT id FROM ids))
                     THEN 'DUNNO' ELSE 'REJECT 5.7.1 only the allowed senders of ' || (SELECT address FROM g) || ' may send to it' END
            ELSE 'DUNNO' END;" </dev/null 2>/dev/null)
    [ -n "$answer" ] || answer='DEFER_IF_PERMIT 4.3.0 the group sender policy could not read the MailAdmin store'
    printf 'action=%s\n\n' "$answer"
}

sender=''; recipient=''; sasl_username=''
while IFS= read -r line; do
    line=$(printf '%s' "$line" | tr -d '\r')
    case "$line" in
        sender=*) sender="${line#sender=}" ;;
        recipient=*) recipient="${line#recipient=}" ;;
        sasl_username=*) sasl_username="${line#sasl_username=}" ;;
        '') decide; sender=''; recipient=''; sasl_username='' ;;
    esac
done
exit 0

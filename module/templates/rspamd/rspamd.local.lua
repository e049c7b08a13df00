-- Written by Export-MailServerConfig (MailAdmin {{Version}}).
local rspamd_logger = require 'rspamd_logger'

-- Inbound spam is marked, never refused by its score: rspamd's "reject" (a score of 15 or more) becomes "add header" with
-- X-Spam-Flag: YES, and the mailbox's Sieve script files it (Junk) unless the sender is allowed. A DMARC reject policy, a
-- virus and mail from logged-in senders keep rspamd's verdict. (rspamd 3.4 answers the standard GTUBE string with a reject
-- before any module runs, this one included: that test message is refused at SMTP.)
rspamd_config:register_symbol({
  name = 'MAILADMIN_SPAM_TO_JUNK',
  type = 'postfilter',
  priority = 5,
  score = 0.0,
  flags = 'empty',
  callback = function(task)
    if task:get_user() then return end
    if task:get_metric_action('default') ~= 'reject' then return end
    for _, s in ipairs({ 'DMARC_POLICY_REJECT', 'CLAM_VIRUS', 'CLAM_VIRUS_FAIL' }) do
      if task:has_symbol(s) then return end
    end
    task:cache_set('mailadmin_certain_spam', true)
    task:set_pre_result({ action = 'add header', message = 'spam: marked for the Junk folder', module = 'mailadmin', priority = 10 })
    rspamd_logger.infox(task, 'inbound spam marked for Junk instead of refused')
  end,
})

-- Never unsigned by accident: mail leaving from a store domain (a logged-in sender, or loopback as Postfix's mynetworks)
-- whose DKIM key file is missing is deferred with the reason, instead of leaving unsigned.
local rspamd_util = require 'rspamd_util'
local selector_map = '{{RspamdDirectory}}/dkim_selectors.map'
local key_directory = '{{RspamdKeyDirectory}}'
local function selector_for(domain)
  local f = io.open(selector_map, 'r')
  if not f then return nil end
  for line in f:lines() do
    local d, s = line:match('^%s*(%S+)%s+(%S+)')
    if d and d:lower() == domain then f:close(); return s end
  end
  f:close()
  return nil
end
rspamd_config:register_symbol({
  name = 'MAILADMIN_DKIM_KEY_MISSING',
  type = 'postfilter',
  priority = 5,
  score = 0.0,
  callback = function(task)
    local ip = task:get_from_ip()
    if not (task:get_user() or (ip and ip:is_valid() and ip:is_local())) then return end
    local from = task:get_from('mime')
    if not from or not from[1] or not from[1].domain or from[1].domain == '' then return end
    local domain = from[1].domain:lower()
    local selector = selector_for(domain)
    if not selector then return end
    local path = string.format('%s/%s.%s.key', key_directory, domain, selector)
    if not rspamd_util.file_exists(path) then
      rspamd_logger.errx(task, 'dkim key for %s (selector %s) is missing: %s; run Export-MailServerConfig -Rspamd (or Switch-MailDkimKey) to write it', domain, selector, path)
      task:insert_result('MAILADMIN_DKIM_KEY_MISSING', 1.0, domain)
      task:set_pre_result({ action = 'soft reject', module = 'mailadmin', priority = 10,
        message = string.format('DKIM signing key for %s is missing on this server (rspamd); run Export-MailServerConfig -Rspamd', domain) })
    end
  end,
})

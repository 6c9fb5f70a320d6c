-- A message's campaign now reaches receipt_message straight from the batch's submit results
-- (SmsEvent.campaignId), and a message without one in the batch keeps the campaign its row has.
-- The message -> campaign table was written for every message and read back by every recompute
-- (about 5 % of a batch's time in PostgreSQL) only to carry that one value.
DROP TABLE receipt_campaign_message;

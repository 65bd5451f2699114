/**
 * A small synthetic campaign for the e2e tests: participants that are the node's own accounts (so every
 * recipient can claim), engagements written as scorer CSV, and a config template per kind.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CampaignInputs } from "../../scripts/lib/score";

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `l2e-${prefix}-`));
}

/**
 * Writes participants (the given accounts, user ids u1…), one post per creator and likes/comments from
 * the others, plus a few engagers who are not registered. Returns the inputs of each kind.
 */
export function writeSmallCampaign(dir: string, accounts: string[]): Record<"event" | "channel", CampaignInputs> {
  fs.mkdirSync(dir, { recursive: true });
  const participants = ["userId,handle,address", ...accounts.map((a, i) => `u${i + 1},user${i + 1},${a}`)].join("\n") + "\n";
  const participantsPath = path.join(dir, "participants.csv");
  fs.writeFileSync(participantsPath, participants);

  const rows = ["id,type,contentId,contentAuthorId,userId,timestamp"];
  let id = 1000;
  const t0 = Date.parse("2025-01-06T00:00:00Z");
  const creators = accounts.slice(0, 3).map((_, i) => `u${i + 1}`);
  for (const [c, creator] of creators.entries()) {
    const content = `post${c + 1}`;
    // every participant except the creator likes it; every other one also comments
    for (let i = 0; i < accounts.length; i++) {
      const user = `u${i + 1}`;
      if (user === creator) continue;
      const ts = new Date(t0 + (c * 100 + i) * 60_000).toISOString();
      rows.push(`${id++},like,${content},${creator},${user},${ts}`);
      if (i % 2 === 0) rows.push(`${id++},comment,${content},${creator},${user},${ts}`);
    }
    // outsiders count in n but earn nothing
    for (let k = 0; k < 5; k++) {
      rows.push(`${id++},like,${content},${creator},outsider${k},${new Date(t0 + (c * 100 + 50 + k) * 60_000).toISOString()}`);
    }
  }
  const engagementsPath = path.join(dir, "engagements.csv");
  fs.writeFileSync(engagementsPath, rows.join("\n") + "\n");

  const period = { start: "2025-01-06T00:00:00Z", end: "2025-01-13T00:00:00Z" };
  // The period is fixed in 2025 while the test chain runs on today's clock: stakes are taken at the
  // (explicit) snapshot block, as in data/sample (the default averages them over the period).
  const stake = "at-snapshot";
  const eventConfig = {
    kind: "event",
    campaignId: "1",
    model: "like2earn",
    period,
    stake,
    types: ["like", "comment"],
    pot: "1000000000000000000",
    like2earn: {
      kUser: {
        tiers: [
          { min: "0", k: "1" },
          { min: "1000000000000000000", k: "1.2" },
        ],
      },
    },
  };
  const channelConfig = { kind: "channel", campaignId: "1", model: "social-ai", period, stake, types: ["like", "comment"], epoch: 1 };
  const eventPath = path.join(dir, "event.config.json");
  const channelPath = path.join(dir, "channel.config.json");
  fs.writeFileSync(eventPath, JSON.stringify(eventConfig, null, 2));
  fs.writeFileSync(channelPath, JSON.stringify(channelConfig, null, 2));
  return {
    event: { configPath: eventPath, participantsPath, engagementPaths: [engagementsPath] },
    channel: { configPath: channelPath, participantsPath, engagementPaths: [engagementsPath] },
  };
}

/*
Reentrancy guard (transient): every state-changing entry point that moves funds is nonReentrant
└── given a receiver that re-enters from its ETH hook while being paid
    ├── it should make the inner call revert with ReentrancyGuardReentrantCall, whatever function it targets
    └── it should let the outer payment complete, paying exactly once
*/
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ethers } from "hardhat";
import type { Interface } from "ethers";
import {
  ETH,
  ONE_ETH,
  STAKING,
  createChannel,
  deployFixture,
  liveEvent,
  publishLiveChannelRoot,
} from "../shared/fixtures";

const GUARD_ERROR = ethers.id("ReentrancyGuardReentrantCall()").slice(0, 10);

describe("Reentrancy guard", () => {
  async function setup() {
    const f = await deployFixture();
    const receiver = await ethers.deployContract("ReentrantReceiver");
    const r = await receiver.getAddress();
    const ev = await liveEvent(
      f,
      Array.from({ length: 16 }, (_, i) => ({ account: r, amount: ONE_ETH / 100n, index: i })),
      { amount: ONE_ETH },
    );
    const channelId = await createChannel(f);
    const tree = await publishLiveChannelRoot(f, channelId, 1, [{ account: r, cumulativeScore: ONE_ETH / 10n }]);
    return { ...f, receiver, r, ev, channelId, tree };
  }

  const calls: [string, (s: Awaited<ReturnType<typeof setup>>) => string][] = [
    ["createEvent", (s) => s.rewards.interface.encodeFunctionData("createEvent", [ETH, 1, 2, 1, 0, ""])],
    ["fundEvent", (s) => s.rewards.interface.encodeFunctionData("fundEvent", [s.ev.eventId, 0])],
    [
      "claimEvent",
      (s) => s.rewards.interface.encodeFunctionData("claimEvent", [s.ev.eventId, 15, s.r, ONE_ETH / 100n, s.ev.tree.proof(15)]),
    ],
    [
      "claimEventTo",
      (s) =>
        s.rewards.interface.encodeFunctionData("claimEventTo", [s.ev.eventId, 15, ONE_ETH / 100n, s.r, s.ev.tree.proof(15)]),
    ],
    ["refundEvent", (s) => s.rewards.interface.encodeFunctionData("refundEvent", [s.ev.eventId, s.r])],
    ["withdrawUnclaimed", (s) => s.rewards.interface.encodeFunctionData("withdrawUnclaimed", [s.ev.eventId, s.r])],
    ["createChannel", (s) => s.rewards.interface.encodeFunctionData("createChannel", [ETH, 1, 0, ""])],
    ["fundChannel", (s) => s.rewards.interface.encodeFunctionData("fundChannel", [s.channelId, 0])],
    [
      "claimChannel",
      (s) => s.rewards.interface.encodeFunctionData("claimChannel", [s.channelId, ONE_ETH / 10n, s.tree.proof(0)]),
    ],
    [
      "claimChannelTo",
      (s) =>
        s.rewards.interface.encodeFunctionData("claimChannelTo", [s.channelId, ONE_ETH / 10n, s.r, s.tree.proof(0)]),
    ],
    ["withdrawChannel", (s) => s.rewards.interface.encodeFunctionData("withdrawChannel", [s.channelId, s.r])],
    ["batchClaim", (s) => s.rewards.interface.encodeFunctionData("batchClaim", [[s.ev.tree.item(15)], []])],
  ];

  calls.forEach(([name, data], i) => {
    it(`blocks re-entry into ${name} from an event payout`, async () => {
      const s = await loadFixture(setup);
      await s.receiver.arm(await s.rewards.getAddress(), data(s));
      await expect(
        s.rewards.claimEvent(s.ev.eventId, i, s.r, ONE_ETH / 100n, s.ev.tree.proof(i)),
      ).to.changeEtherBalance(s.receiver, ONE_ETH / 100n);
      expect(await s.receiver.attempts()).to.equal(1);
      expect(await s.receiver.lastSucceeded()).to.equal(false);
      expect(await s.receiver.lastRevertData()).to.equal(GUARD_ERROR);
      expect(await s.rewards.isEventClaimed(s.ev.eventId, 15)).to.equal(false);
    });
  });

  it("blocks re-entry from a channel payout and from a batch payout", async () => {
    const s = await loadFixture(setup);
    const claimAgain = s.rewards.interface.encodeFunctionData("claimChannel", [s.channelId, ONE_ETH / 10n, s.tree.proof(0)]);
    await s.receiver.arm(await s.rewards.getAddress(), claimAgain);
    const channelClaim = s.rewards.interface.encodeFunctionData("claimChannel", [s.channelId, ONE_ETH / 10n, s.tree.proof(0)]);
    await s.receiver.forward(await s.rewards.getAddress(), channelClaim);
    expect(await s.receiver.lastRevertData()).to.equal(GUARD_ERROR);
    expect(await s.receiver.received()).to.equal(ONE_ETH / 10n);

    await s.receiver.arm(await s.rewards.getAddress(), s.rewards.interface.encodeFunctionData("batchClaim", [[s.ev.tree.item(1)], []]));
    await s.rewards.batchClaim([s.ev.tree.item(0)], []);
    expect(await s.receiver.lastRevertData()).to.equal(GUARD_ERROR);
    expect(await s.rewards.isEventClaimed(s.ev.eventId, 1)).to.equal(false);
  });

  describe("PowerStaking", () => {
    const stakingCalls: [string, (iface: Interface, token: string) => string][] = [
      ["powerUp", (iface) => iface.encodeFunctionData("powerUp")],
      ["powerUpToken", (iface) => iface.encodeFunctionData("powerUpToken", [1])],
      ["powerDown", (iface) => iface.encodeFunctionData("powerDown", [ETH, 1])],
      ["cancelPowerDown", (iface) => iface.encodeFunctionData("cancelPowerDown", [ETH])],
      ["withdraw", (iface) => iface.encodeFunctionData("withdraw", [ETH, ethers.ZeroAddress])],
    ];
    for (const [name, data] of stakingCalls) {
      it(`blocks re-entry into ${name} from a withdrawal`, async () => {
        const f = await loadFixture(deployFixture);
        const receiver = await ethers.deployContract("ReentrantReceiver");
        const u = f.users[0];
        await f.staking.connect(u).powerUp({ value: 4n });
        await f.staking.connect(u).powerDown(ETH, 4n);
        await time.increase(STAKING.instalmentInterval);
        await receiver.arm(await f.staking.getAddress(), data(f.staking.interface, await f.token.getAddress()));
        await expect(f.staking.connect(u).withdraw(ETH, await receiver.getAddress())).to.changeEtherBalance(receiver, 1n);
        expect(await receiver.lastSucceeded()).to.equal(false);
        expect(await receiver.lastRevertData()).to.equal(GUARD_ERROR);
      });
    }
  });
});

/**
 * Which token answers {Funds.trySend} takes as a payment (contracts/libraries/Funds.sol): `true`, or no return
 * data from a contract (USDT-style tokens), as SafeERC20 does; `false`, short return data, or an address with no
 * code are not payments. The rewards contract skips (batches) or reverts (single claims) on those.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import type { FundsHarness, QuirkyToken } from "../../../typechain-types";

const OUTCOME = { sent: 0n, rejected: 1n, outOfGas: 2n } as const;
const ANSWER = { true: 0, nothing: 1, false: 2, short: 3, long: 4 } as const;

describe("Funds.trySend: which token answers are payments", () => {
  let funds: FundsHarness;
  let token: QuirkyToken;
  const to = "0x000000000000000000000000000000000000bEEF";

  beforeEach(async () => {
    funds = (await ethers.deployContract("FundsHarness")) as unknown as FundsHarness;
    token = (await ethers.deployContract("QuirkyToken")) as unknown as QuirkyToken;
    await token.mint(await funds.getAddress(), 1_000n);
  });

  const send = async (answer: number) => {
    await token.setAnswer(answer);
    await (await funds.trySend(await token.getAddress(), to, 10n)).wait();
    return { outcome: await funds.lastOutcome(), received: await token.balanceOf(to) };
  };

  it("takes `true` and a 64-byte answer whose first word is true as sent", async () => {
    expect(await send(ANSWER.true)).to.deep.equal({ outcome: OUTCOME.sent, received: 10n });
    expect(await send(ANSWER.long)).to.deep.equal({ outcome: OUTCOME.sent, received: 20n });
  });

  it("takes no return data from a token contract (USDT-style) as sent", async () => {
    expect(await send(ANSWER.nothing)).to.deep.equal({ outcome: OUTCOME.sent, received: 10n });
  });

  it("rejects `false` and a 31-byte answer", async () => {
    expect((await send(ANSWER.false)).outcome).to.equal(OUTCOME.rejected);
    expect((await send(ANSWER.short)).outcome).to.equal(OUTCOME.rejected);
  });

  it("rejects a 'token' with no code (the call succeeds with no data, but nothing was paid)", async () => {
    await (await funds.trySend(ethers.Wallet.createRandom().address, to, 10n)).wait();
    expect(await funds.lastOutcome()).to.equal(OUTCOME.rejected);
  });
});

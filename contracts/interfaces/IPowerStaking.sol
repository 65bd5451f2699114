// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IPowerStaking
/// @notice "Power up": lock ETH (or the configured ERC-20) to raise power; "power down" unlocks it in equal
/// instalments, one per interval (Steem/Hive style), cancellable.
/// @dev asset address(0) = ETH. Power of an account at time t, from its latest {StakeUpdated}:
/// unlocked(t) = powerDownStart == 0 ? 0 : powerDownAmount · min(N, ⌊(t − powerDownStart) / interval⌋) / N,
/// power = staked − (unlocked(t) − powerDownWithdrawn). The scorer rebuilds every account's power at any
/// block from {StakeUpdated} alone.
interface IPowerStaking {
    /// @notice Emitted after every change to an account's stake of an asset, with the full new state.
    event StakeUpdated(
        address indexed account,
        address indexed asset,
        uint256 staked,
        uint256 powerDownAmount,
        uint256 powerDownWithdrawn,
        uint64 powerDownStart
    );
    /// @notice Emitted when an account powers up.
    event PoweredUp(address indexed account, address indexed asset, uint256 amount);
    /// @notice Emitted when an account starts a power-down (replacing any active one).
    event PowerDownStarted(address indexed account, address indexed asset, uint256 amount, uint64 start);
    /// @notice Emitted when an account cancels its power-down; everything not withdrawn is locked again.
    event PowerDownCancelled(address indexed account, address indexed asset);
    /// @notice Emitted when unlocked stake is withdrawn.
    event Withdrawn(address indexed account, address indexed asset, address to, uint256 amount);

    /// @notice Number of equal instalments of a power-down (default 4).
    function instalments() external view returns (uint32);
    /// @notice Seconds between instalments (default 1 week).
    function instalmentInterval() external view returns (uint32);
    /// @notice The ERC-20 that can be staked besides ETH (address(0) when none is configured).
    function stakeToken() external view returns (address);

    /// @notice Locks msg.value ETH as power. @dev Requirements: msg.value > 0. Emits {PoweredUp}, {StakeUpdated}.
    function powerUp() external payable;
    /// @notice Locks `amount` of the stake token. @dev Requirements: a stake token is configured; amount > 0;
    /// the full amount arrives. Emits {PoweredUp}, {StakeUpdated}.
    function powerUpToken(uint256 amount) external;
    /// @notice Starts unlocking `amount` of `asset` in equal instalments; replaces an active power-down
    /// (what it had unlocked but not withdrawn is locked again). @dev Requirements: 0 < amount ≤ staked.
    /// Emits {PowerDownStarted}, {StakeUpdated}.
    function powerDown(address asset, uint256 amount) external;
    /// @notice Cancels the active power-down of `asset`. @dev Requirements: one is active.
    /// Emits {PowerDownCancelled}, {StakeUpdated}.
    function cancelPowerDown(address asset) external;
    /// @notice Sends what has unlocked and was not yet withdrawn to `to`. @dev Requirements: something
    /// unlocked. Emits {Withdrawn}, {StakeUpdated}; the power-down ends once fully withdrawn.
    function withdraw(address asset, address to) external;

    /// @notice Current power of `account` in `asset`.
    function powerOf(address account, address asset) external view returns (uint256);
    /// @notice Amount unlocked and not yet withdrawn.
    function withdrawable(address account, address asset) external view returns (uint256);
    /// @notice The raw stake state of `account` in `asset` (as in {StakeUpdated}).
    function stakeOf(address account, address asset)
        external
        view
        returns (uint256 staked, uint256 powerDownAmount, uint256 powerDownWithdrawn, uint64 powerDownStart);
}

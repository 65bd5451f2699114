// Like2Earn's Hardhat tasks, grouped by who runs them. Imported from hardhat.config.ts.
import "./brand";
import "./admin";
import "./user";
import "./dev";
import "./relay";

#!/usr/bin/env python3
"""The digital twin's model written the way analysts write cadCAD/radCAD models: a plain
per-agent Python loop over device objects, re-implementing the rules by hand. `depin bench sim`
times it on a small fleet in the same run as the C++ twin and reports the speed ratio per
device-epoch (docs/performance.md, docs/sim.md).

Per epoch, per device, it does what src/twin does (fleet.cc, model.cc) with the rules of
src/verify and src/rewards re-implemented: outage draw, hour count, heartbeats, location trust
(1.0 / 0.25 / 0 by distance), speedtest tier (lowest of download/upload/latency tiers),
uptime >= 12 hours, origin density (rank by seniority within an origin, x0.5 per device beyond
the first), availability units = trust x tier x origin (each step floored), the pool split
(availability 40 %, usage 40 % overflowing to availability, stakers 10 %, treasury 10 %), usage
pro rata by DC-backed bytes capped at 0.9 x the tokens burned, availability pro rata by units,
halving emission, supply and burn, then each operator's income, loss streak, leaving and
joining, owner concentration (top-10 share, Nakamoto coefficient) and an endogenous price. It
does NOT build the reward manifest's Merkle root (the twin's ComputeRewards does, every epoch),
so the ratio it yields is conservative.

    python3 bench/sim_reference.py --devices 20000 --epochs 10 --seed 1
prints {"device_epochs": N, "seconds": S, "cpu_seconds": C, ...} on one line.
"""
import argparse
import json
import random
import time

PPM = 1_000_000
TIERS = [  # (min download bps, min upload bps, latency below ms, multiplier ppm)
    (100_000_000, 10_000_000, 50, 1_000_000),
    (75_000_000, 8_000_000, 60, 750_000),
    (50_000_000, 5_000_000, 75, 500_000),
    (30_000_000, 2_000_000, 100, 250_000),
]
BYTES_PER_DC = 24
USD_NANOS_PER_DC = 10_000
UNIT = 10**6  # token decimals 6


class Device:
    def __init__(self, index, role, epoch, owner, rng):
        self.index = index
        self.role = role
        self.joined = epoch
        self.owner = owner
        self.down = rng.randint(100, 300)
        self.up = rng.randint(10, 30)
        self.latency = rng.randint(20, 60)
        self.weight = rng.randint(1, 4)
        self.poor_gps = role == "honest" and rng.random() < 0.05
        self.origin = index + 1
        self.active = True
        self.streak = 0
        self.income = 0


def tier_of(down, up, latency):
    for i, (d, u, l, _) in enumerate(TIERS):
        if down >= d and up >= u and latency < l:
            return i
    return len(TIERS)


def run(devices, epochs, seed):
    rng = random.Random(seed)
    fleet = []
    owners = devices // 2 + 1
    for i in range(devices):
        fleet.append(Device(i, "honest", 0, i % owners, rng))
    price_e8 = 50_000_000
    demand = 200_000 * 10**9
    supply = 10**15
    farm_in_group, farm_group, farm_owner = 0, 0, 0
    emission0 = 5_000_000 * UNIT
    device_epochs = 0
    for epoch in range(epochs):
        emission_base = emission0 >> (epoch // 365)
        active = [d for d in fleet if d.active]
        tokens_org = demand * UNIT // (price_e8 * 10)
        dc_org = tokens_org * price_e8 * 10 // (USD_NANOS_PER_DC * UNIT)
        # Behaviour and the verifiers' derivations, per device.
        work = []
        weight_total = 0
        for d in active:
            hours = 24
            if d.role != "uptime_farm" and rng.random() < 0.05:
                hours = rng.randrange(24)
            trust = 250_000 if (d.poor_gps or d.role == "spoofer") else 1_000_000
            tier = tier_of(d.down * 1_000_000, d.up * 1_000_000, d.latency)
            speed = TIERS[tier][3] if tier < len(TIERS) else 0
            w = {"dev": d, "hours": hours, "trust": trust if hours else 0, "speed": speed,
                 "dc": 0, "basis": 0, "bytes": 0}
            if hours and d.role != "uptime_farm":
                weight_total += d.weight
            work.append(w)
        wash_tokens = 5 * 10**9 * UNIT // (price_e8 * 10)
        wash_dc = wash_tokens * price_e8 * 10 // (USD_NANOS_PER_DC * UNIT)
        burned = tokens_org
        for w in work:
            d = w["dev"]
            if not w["hours"] or d.role == "uptime_farm":
                continue
            if weight_total and dc_org:
                dc = dc_org * d.weight // weight_total
                w["dc"] = dc
                w["basis"] = tokens_org * dc // dc_org
                w["bytes"] = dc * BYTES_PER_DC
            if d.role == "wash_trade":
                w["dc"] += wash_dc
                w["basis"] += wash_tokens
                w["bytes"] += wash_dc * BYTES_PER_DC
                burned += wash_tokens
        # Origin density: rank earning devices of one origin by seniority.
        by_origin = {}
        for w in work:
            if w["hours"] >= 12:
                by_origin.setdefault(w["dev"].origin, []).append(w)
        for group in by_origin.values():
            group.sort(key=lambda x: (x["dev"].joined, x["dev"].index))
            ppm = PPM
            for k, w in enumerate(group):
                if k >= 1:
                    ppm = ppm * 500_000 // PPM
                w["origin"] = ppm
        # Rewards.
        supply -= burned
        emission = emission_base
        avail_budget = emission * 400_000 // PPM
        usage_budget = emission * 400_000 // PPM
        total_units = 0
        total_bytes = 0
        for w in work:
            units = 0
            if w["hours"] >= 12:
                units = PPM * w["trust"] // PPM * w["speed"] // PPM * w.get("origin", PPM) // PPM
            w["units"] = units
            total_units += units
            total_bytes += w["bytes"]
        paid_usage = 0
        for w in work:
            w["amount"] = 0
            if w["bytes"]:
                share = usage_budget * w["bytes"] // total_bytes
                cap = w["basis"] * 900_000 // PPM
                w["amount"] = min(share, cap)
                paid_usage += w["amount"]
        avail_total = avail_budget + (usage_budget - paid_usage)
        device_rewards = 0
        for w in work:
            if total_units:
                w["amount"] += avail_total * w["units"] // total_units
            device_rewards += w["amount"]
        supply += device_rewards + emission * 200_000 // PPM
        # Operators.
        owner_rewards = {}
        honest = honest_income = 0
        sold = 0
        for w in work:
            d = w["dev"]
            income = w["amount"] * price_e8 * 10 // UNIT
            d.income += income
            sold += income
            opex = 10_000_000 if d.role == "uptime_farm" else 150_000_000
            if d.role == "wash_trade":
                opex += 5 * 10**9
            if w["amount"]:
                owner_rewards[d.owner] = owner_rewards.get(d.owner, 0) + w["amount"]
            if d.role == "honest":
                honest += 1
                honest_income += income
            d.streak = d.streak + 1 if income < opex else 0
            if d.streak >= 30 or rng.random() < 0.0005:
                d.active = False
            device_epochs += 1
        ranked = sorted(owner_rewards.values(), reverse=True)
        top10 = sum(ranked[:10]) * PPM // device_rewards if device_rewards else 0
        acc = nakamoto = 0
        for v in ranked:
            acc += v
            nakamoto += 1
            if acc * 2 > device_rewards:
                break
        mean = honest_income // honest if honest else 0
        joiners = 0
        if mean > 150_000_000:
            margin = (mean - 150_000_000) * 365
            hw = 250 * 10**9
            if margin >= hw:
                excess = min((margin - hw) * PPM // hw, PPM)
                joiners = len(active) * 2_000 // PPM * excess // PPM
        joiners = min(joiners, devices - sum(1 for d in fleet if d.active))
        for _ in range(joiners):
            role = "honest"
            if epoch + 1 >= 30 and rng.random() >= 0.9:
                role = rng.choice(["uptime_farm", "wash_trade", "spoofer"])
            i = len(fleet)
            if role == "honest" and rng.random() >= 0.7:
                owner = fleet[rng.randrange(len(fleet))].owner
            else:
                owner = owners
                owners += 1
            d = Device(i, role, epoch + 1, owner, rng)
            if role == "uptime_farm":
                if farm_in_group == 0:
                    farm_group += 1
                    farm_owner = owners
                    owners += 1
                d.owner = farm_owner
                d.origin = (1 << 62) + farm_group
                farm_in_group = (farm_in_group + 1) % 50
            fleet.append(d)
        buys = burned * price_e8 * 10 // UNIT
        delta = rng.randint(-20_000, 20_000)
        gap = abs(buys - sold)
        move = min(gap * PPM // (50_000_000 * 10**9), PPM)
        delta += move if buys >= sold else -move
        delta = max(-900_000, min(PPM, delta))
        price_e8 = max(1, price_e8 * (PPM + delta) // PPM)
        demand = demand * (PPM + 5_000 + rng.randint(-50_000, 50_000)) // PPM
        _ = (top10, nakamoto, supply)
    return device_epochs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devices", type=int, default=20_000)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    t0, c0 = time.perf_counter(), time.process_time()
    n = run(a.devices, a.epochs, a.seed)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({"device_epochs": n, "seconds": secs, "cpu_seconds": cpu,
                      "devices": a.devices, "epochs": a.epochs}))


if __name__ == "__main__":
    main()

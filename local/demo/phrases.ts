import type { DemoChannel } from "./roster";

/**
 * Phrase banks for the demo conversations. Templates use `{name}` slots filled from the
 * interaction's details (see conversation.ts); every slot used here must exist there.
 * The company whose customers are served is a fictional home-goods retailer, Fernway.
 */

/** Customer intents the demo produces. */
export const INTENTS = [
  "refund-status",
  "double-charge",
  "delivery-missing",
  "cancel-subscription",
  "password-reset",
  "address-change",
  "warranty-claim",
  "billing-question",
] as const;
/** A customer intent (also the canonical `intent` and the Zendesk `intent:` tag). */
export type Intent = (typeof INTENTS)[number];

/** A question and the answers that fit it. */
export interface Exchange {
  readonly q: readonly string[];
  readonly a: readonly string[];
  /** Slot the question asks for; skipped when the customer already gave that value. */
  readonly asks?: string;
}

/** A policy fact as the published policy states it, and the ways agents get it wrong. */
export interface PolicyFact {
  /** Clause form (lower-case start, no full stop): the company's published answer. */
  readonly correct: string;
  /** Right outcome with the timeline or condition left out. */
  readonly vague: readonly string[];
  /** Contradictions an individual agent might improvise. */
  readonly wrong: readonly string[];
  /** The outdated email macro one vendor sends on every email (the planted inconsistency). */
  readonly emailMacro: string;
}

/** Everything said about one intent, per conversation slot. */
export interface IntentBank {
  readonly queue: string;
  readonly subjects: readonly string[];
  readonly problem: Readonly<Record<DemoChannel, readonly string[]>>;
  /** What a customer types to the chat bot before an agent joins. */
  readonly botShort: readonly string[];
  readonly clarify: readonly Exchange[];
  /** Acknowledges the situation in the customer's own terms. */
  readonly acknowledge: readonly string[];
  /** Names the impact on the customer (top empathy). */
  readonly impact: readonly string[];
  /** Dismissive or customer-blaming replies (bottom empathy). */
  readonly dismiss: readonly string[];
  /** What the agent did to resolve it. */
  readonly action: readonly string[];
  readonly fact: PolicyFact;
  /** A concrete follow-through commitment (top empathy). */
  readonly commitment: readonly string[];
  /** Answers the next question before it is asked (top adaptation). */
  readonly anticipate: readonly string[];
  readonly followUp: readonly Exchange[];
}

/** Phrase banks per intent. */
export const BANKS: Readonly<Record<Intent, IntentBank>> = {
  "refund-status": {
    queue: "returns-refunds",
    subjects: [
      "Refund not received for order {order}",
      "Where is my refund?",
      "Still waiting on refund - {order}",
      "Refund for returned {item}",
      "Return delivered {returnDate}, no refund yet",
    ],
    problem: {
      voice: [
        "Hi, yeah, I sent back {aItem} on {returnDate} and I still haven't seen the refund.",
        "So I returned an order, it's {order}, and the refund of {amount} hasn't come through yet.",
        "Hey, um, it's been {weeksText} since I mailed the return back and there's still nothing on my card.",
        "I'm calling about a refund. I returned the {item}, the tracking says you got it, but no money yet.",
        "Yeah hi, I'm just trying to find out where my refund is. It's for {amount} on order {order}.",
        "Okay so I returned something like {weeksText} ago and I keep checking my bank and it's just not there.",
      ],
      chat: [
        "hi, i returned my {item} like {weeksText} ago and still no refund",
        "where is my refund?? order {order}",
        "Hello, checking on a refund for order {order}. It was {amount}.",
        "hey so ups shows my return was delivered on {returnDate} but i havent been refunded",
        "I sent back the {item} and haven't got my {amount} back yet, can you check",
        "refund still not on my card, returned it {weeksText} ago",
      ],
      email: [
        "I returned the {item} from order {order} on {returnDate} using the prepaid label, and the tracking shows it was delivered to your warehouse. It has now been {weeksText} and I have not received the refund of {amount} to my card ending in {last4}.\n\nCould you let me know where things stand?",
        "I'm writing about order {order}. I sent the {item} back on {returnDate} because it wasn't what I expected, and the return was delivered a few days later according to the tracking. I still haven't seen the {amount} back on my card.\n\nCan you please look into this and tell me when I should expect it?",
        "It has been {weeksText} since I returned my {item} (order {order}) and there is still no sign of the refund. I have checked with my bank and they have nothing pending from you.\n\nPlease can someone confirm that the return was received and that the refund has been issued?",
        "Quick question about a return. The {item} went back on {returnDate} and I was told the refund would be automatic, but nothing has arrived. The amount was {amount}.\n\nI'd appreciate an update.",
      ],
    },
    botShort: ["refund status", "where is my refund", "refund", "return refund not received"],
    clarify: [
      {
        asks: "order",
        q: [
          "Can you confirm the order number for me?",
          "What's the order number on that one?",
          "Do you have the order number handy?",
        ],
        a: [
          "Yeah, it's {order}.",
          "Sure, {order}.",
          "it's {order}",
          "The order number is {order}.",
        ],
      },
      {
        q: [
          "Did you send it back with our prepaid label, or with your own carrier?",
          "How did you ship the return, was it our label?",
        ],
        a: [
          "Your prepaid label, I dropped it at {carrier} on {returnDate}.",
          "The label you emailed me. It went out on {returnDate}.",
          "prepaid label, dropped at {carrier}",
        ],
      },
      {
        q: [
          "Was the original payment on the card ending in {last4}?",
          "Is the refund going back to the card ending {last4}?",
        ],
        a: [
          "Yes, that's the one.",
          "Yep, ending in {last4}.",
          "yes same card",
          "That's right, it should go back to that card.",
        ],
      },
    ],
    acknowledge: [
      "Sorry the refund hasn't shown up yet.",
      "I'm sorry you're still waiting on that refund.",
      "That's a long wait for your money back, I'm sorry about that.",
      "I can see why you'd want to know where that refund is.",
    ],
    impact: [
      "Waiting {weeksText} for {amount} when you've already sent the item back isn't okay, and I get that it's money you were counting on.",
      "You did everything right on your end and you're still out {amount}, so I understand why this is frustrating.",
      "Having {amount} tied up for {weeksText} is a real inconvenience, and that's on us, not you.",
    ],
    dismiss: [
      "Refunds take time, you'll just have to wait.",
      "It's in the system, there's nothing else to do.",
      "We process refunds in order, so it'll come when it comes.",
      "You probably didn't check with your bank properly.",
    ],
    action: [
      "I can see the return was checked in at our warehouse on {checkInDate}, and I've just released the refund of {amount} to your card ending in {last4}.",
      "The warehouse received it on {checkInDate}. The refund was stuck in review, so I've pushed it through now.",
      "Your return arrived on {checkInDate} and the refund of {amount} is now issued to the card ending {last4}.",
      "I found it. The return was scanned in on {checkInDate} but the refund hadn't been triggered, so I've triggered it manually.",
    ],
    fact: {
      correct:
        "refunds are issued within 5 to 7 business days of the return reaching our warehouse",
      vague: [
        "it should show up on your card soon",
        "it usually doesn't take too long after that",
        "it'll be processed in the next little while",
      ],
      wrong: [
        "refunds can take up to 30 business days to show up",
        "refunds are only released after 14 days of inspection",
        "refunds go out as store credit unless you ask for them on the card",
      ],
      emailMacro: "refunds are processed within 10 to 14 business days after we receive the return",
    },
    commitment: [
      "I've set a reminder for {deadline}, and if it hasn't reached your account by then I'll chase the payment team myself and get back to you.",
      "I'll check on it again on {deadline} and email you either way, so you won't have to contact us again.",
      "If it isn't on your statement by {deadline}, I'll escalate it personally and reply on this same case.",
    ],
    anticipate: [
      "You'll get a confirmation email with the refund reference, which your bank can use to trace it if needed.",
      "Your bank may show it as pending for a day or two before it posts, so don't worry if it looks like that at first.",
    ],
    followUp: [
      {
        q: [
          "And if it's not there by then, what do I do?",
          "what if it still doesnt show up?",
          "What happens if my bank still doesn't have it next week?",
        ],
        a: [
          "Then reply to the confirmation email and we'll trace it with your bank using the refund reference.",
          "Just get in touch with the refund reference from your email and we'll trace it with the bank.",
        ],
      },
      {
        q: [
          "Will I get an email when it goes through?",
          "do i get a confirmation?",
          "Is there some kind of confirmation I'll get?",
        ],
        a: [
          "Yes, you'll get an email with a refund reference as soon as it's issued.",
          "Yep, a confirmation email goes out automatically with the reference number.",
        ],
      },
    ],
  },

  "double-charge": {
    queue: "billing",
    subjects: [
      "Charged twice for order {order}",
      "Duplicate charge on my card",
      "Two payments of {amount} taken",
      "Double charge - please refund",
    ],
    problem: {
      voice: [
        "Hi, I was charged twice for the same order and I need one of them reversed.",
        "Yeah, um, I'm looking at my bank app and there's two charges of {amount} from you guys on {chargeDate}.",
        "So I placed one order, just one, and my card got hit twice for {amount}.",
        "Hi there, I think there's a mistake, I've got a duplicate charge on my card ending {last4}.",
        "I need help with a double charge. It's {amount}, twice, on the same day.",
      ],
      chat: [
        "you charged me twice for order {order}",
        "hi theres 2 charges of {amount} on my card from {chargeDate}, only ordered once",
        "Hello, I've been double charged {amount}. Can you fix this please?",
        "why do I have two payments for the same order??",
        "got charged twice, card ending {last4}",
      ],
      email: [
        "I placed order {order} on {chargeDate} and paid {amount} with my card ending in {last4}. When I checked my statement this morning there were two identical charges of {amount} from Fernway on the same day.\n\nI only placed one order. Please refund the duplicate charge.",
        "My bank statement shows I was charged {amount} twice for a single order ({order}). This has left my account short and I need the extra charge returned as soon as possible.\n\nPlease confirm what you are going to do about it.",
        "I think your checkout glitched. The page froze when I clicked pay, so I clicked again, and now I have two charges of {amount} on my card. I only received one order confirmation, for {order}.\n\nCan you cancel the second charge?",
      ],
    },
    botShort: ["charged twice", "double charge", "billing issue", "duplicate payment"],
    clarify: [
      {
        q: [
          "Can you tell me the date and amount of both charges?",
          "What dates do the two charges show on your statement?",
        ],
        a: [
          "Both {amount}, both on {chargeDate}.",
          "{chargeDate}, same amount, {amount} each.",
          "both on {chargeDate}, {amount}",
        ],
      },
      {
        q: [
          "Are both charges showing as posted, or is one still pending?",
          "Does your bank show either of them as pending?",
        ],
        a: [
          "One says pending, the other one went through.",
          "They both look posted to me.",
          "umm one is pending i think",
          "I'm not sure, they both just show {amount}.",
        ],
      },
      {
        asks: "last4",
        q: ["Which card did you pay with?", "Can you confirm the last four digits of the card?"],
        a: ["The one ending in {last4}.", "It's my Visa, ending {last4}.", "{last4}"],
      },
    ],
    acknowledge: [
      "Sorry about the double charge, that's not something you should have to deal with.",
      "I'm sorry you were charged twice.",
      "Seeing two charges when you placed one order is alarming, I'm sorry.",
      "Oh no, sorry about that duplicate charge.",
    ],
    impact: [
      "Having an extra {amount} taken out of your account is a real problem, especially if you weren't expecting it.",
      "I know an unexpected {amount} coming out can throw off your whole month, so let's get it back to you.",
      "You shouldn't be out of pocket because our checkout hiccupped.",
    ],
    dismiss: [
      "It's probably just a pending authorization, those happen.",
      "You must have clicked pay twice.",
      "That's your bank, not us.",
      "There's nothing wrong on our side.",
    ],
    action: [
      "I can see the second charge on our side, and I've voided it.",
      "I've confirmed only one order went through, and I've refunded the duplicate payment of {amount}.",
      "The second attempt is a duplicate authorization and I've released it from our end.",
      "I've raised a reversal for the extra {amount} on your card ending {last4}.",
    ],
    fact: {
      correct:
        "a duplicate authorization drops off automatically within 3 business days, and a posted duplicate is refunded within 5 business days",
      vague: [
        "it'll come off your card on its own",
        "the extra charge will disappear eventually",
        "your bank will sort out the pending one",
      ],
      wrong: [
        "we can't reverse a charge once it has posted, so you'd need to dispute it with your bank",
        "duplicate charges are reviewed within 30 business days",
        "there's a $5 processing fee to reverse a duplicate payment",
      ],
      emailMacro:
        "duplicate charges are reviewed by our billing team within 10 to 15 business days",
    },
    commitment: [
      "I'll check on {deadline} that the reversal has landed and email you the confirmation myself.",
      "I've noted the case so that if it's still showing on {deadline}, I'll take it straight to our payments team.",
      "If the extra charge is still there on {deadline}, reply here and I'll personally push it through.",
    ],
    anticipate: [
      "Your bank might still show it as pending for a day, that's normal and it will drop off without you doing anything.",
      "You don't need to dispute it with your bank, doing that can actually slow the reversal down.",
    ],
    followUp: [
      {
        q: [
          "Should I call my bank too?",
          "do i need to dispute it with my bank?",
          "Do I have to do anything on my side?",
        ],
        a: [
          "No need, the reversal comes from our side and a bank dispute would only slow it down.",
          "Nope, nothing on your side. It'll come back on its own.",
        ],
      },
      {
        q: ["Will this happen again next time I order?", "how do i stop this happening again"],
        a: [
          "It shouldn't. It was a timeout at checkout, and if the page ever freezes, check your order history before paying again.",
          "If checkout ever hangs, check your order emails first before clicking pay again and you'll be fine.",
        ],
      },
    ],
  },

  "delivery-missing": {
    queue: "orders",
    subjects: [
      "Package marked delivered but not received",
      "Missing delivery - order {order}",
      "Where is my {item}?",
      "Order {order} not here",
    ],
    problem: {
      voice: [
        "Hi, my package says delivered but it's not here.",
        "Yeah so the tracking says {carrier} dropped it off {deliveredDate} but there's nothing at my door.",
        "Um, I ordered {aItem} and it says delivered, but I've checked everywhere, the porch, the mailroom, nothing.",
        "I'm calling because my order {order} never showed up.",
        "Hi, so, my {item} was supposed to come and the tracking just says delivered, but I never got it.",
      ],
      chat: [
        "my package says delivered but it's not here",
        "order {order} shows delivered {deliveredDate}, i never got it",
        "Hi, where is my {item}? Tracking says delivered but nothing arrived",
        "package missing!! {carrier} says it was delivered",
        "hello, my order hasnt arrived but it says delivered",
      ],
      email: [
        "My order {order} ({item}) shows as delivered by {carrier} on {deliveredDate}, but it never arrived. I have checked with my neighbours and the building office and nobody has seen it.\n\nCan you please send a replacement or refund me?",
        "The tracking for order {order} says it was left at my address on {deliveredDate}. I was home all day and nothing came. The tracking number is {tracking}.\n\nPlease look into this.",
        "I'm writing because my {item} never turned up. According to {carrier} it was delivered, but there's no package and no photo of where it was left.\n\nWhat can be done?",
      ],
    },
    botShort: ["missing package", "where is my order", "delivered but not received", "delivery"],
    clarify: [
      {
        q: [
          "Can you check around the property for me, side door, garage, with neighbours?",
          "Have you had a chance to check with neighbours or a building mailroom?",
        ],
        a: [
          "Yeah, I checked everywhere, nothing.",
          "Yes, asked the neighbours and the front desk, nobody has it.",
          "yes looked everywhere",
          "I did, no luck.",
        ],
      },
      {
        q: [
          "Can you confirm the delivery address on the order?",
          "Is the address on the order still correct?",
        ],
        a: [
          "Yes, it's the same address as always, {zip}.",
          "Yep, that's correct.",
          "yes thats right",
        ],
      },
      {
        asks: "order",
        q: ["What's the order number?", "Do you have the order or tracking number?"],
        a: ["It's {order}.", "Order {order}, tracking {tracking}.", "{order}"],
      },
    ],
    acknowledge: [
      "That's really annoying when you were waiting for it.",
      "Sorry your package didn't turn up.",
      "I'm sorry, it's frustrating when it says delivered and it's not there.",
      "That's not the delivery experience you should have had, sorry.",
    ],
    impact: [
      "You paid for the {item} and you've been waiting for it, so coming home to nothing is really disappointing.",
      "I know you were counting on having the {item} by now, so let's get this fixed fast.",
      "Having to chase a missing package on top of everything else is a hassle you shouldn't have.",
    ],
    dismiss: [
      "The carrier says it was delivered, so it was delivered.",
      "Someone at your address probably took it in.",
      "You should have chosen a safer delivery spot.",
      "We're not responsible once the carrier marks it delivered.",
    ],
    action: [
      "I've opened a trace with {carrier} on tracking {tracking}.",
      "I can see the driver scanned it at {deliveredTime}, but there's no photo, so I've opened a lost-package claim.",
      "I've put in a carrier investigation and flagged the order for a replacement.",
      "I've raised a missing-parcel claim on order {order} and reserved a replacement {item} for you.",
    ],
    fact: {
      correct:
        "we open a trace with the carrier, and if it isn't found within 2 business days we ship a replacement at no cost",
      vague: [
        "we'll look into it with the carrier",
        "it often turns up in a day or two anyway",
        "we'll see what the carrier says",
      ],
      wrong: [
        "you need to file the claim with the carrier yourself",
        "we can only replace it after 14 days",
        "replacements for delivered orders are charged at half price",
      ],
      emailMacro:
        "we need to wait 7 business days from the delivery scan before we can open a claim or send a replacement",
    },
    commitment: [
      "I'll check the trace on {deadline} and if it hasn't turned up, I'll ship the replacement myself and send you the new tracking number.",
      "I've put a note to follow up on {deadline}, so you won't need to call back, I'll email you the outcome.",
    ],
    anticipate: [
      "If the original does turn up, you can just keep it or send it back with a free label, whichever is easier.",
      "You'll get the replacement tracking number by email as soon as it ships.",
    ],
    followUp: [
      {
        q: [
          "What if the original shows up later?",
          "and if it turns up after?",
          "What do I do if the first one arrives?",
        ],
        a: [
          "Then you can send it back with a free return label, or let us know and we'll cancel the replacement.",
          "Just let us know and we'll email you a return label, no cost to you.",
        ],
      },
      {
        q: [
          "Can you ship the replacement faster?",
          "any chance of express shipping on the replacement",
        ],
        a: [
          "Yes, I've upgraded the replacement to express shipping at no charge.",
          "I've bumped it to express, so it should be with you a day or two sooner.",
        ],
      },
    ],
  },

  "cancel-subscription": {
    queue: "retention",
    subjects: [
      "Cancel my {plan} membership",
      "Please cancel subscription",
      "Cancellation request",
      "How do I cancel {plan}?",
    ],
    problem: {
      voice: [
        "Hi, I'd like to cancel my {plan} membership.",
        "Yeah, I want to cancel the subscription, I'm just not using it enough.",
        "Um, hi, I'm trying to cancel {plan} and I can't find the button anywhere on the site.",
        "I need to cancel my membership before it renews on {renewDate}.",
        "So money's a bit tight right now and I want to stop the {planPrice} a month.",
      ],
      chat: [
        "i want to cancel my {plan} membership",
        "how do I cancel my subscription",
        "Hi, please cancel {plan} before {renewDate}",
        "cancel membership pls",
        "I'd like to stop my subscription, I don't use it",
      ],
      email: [
        "Please cancel my {plan} membership. I signed up for the free shipping but I don't order often enough to justify {planPrice} a month.\n\nCan you confirm once it's done, and let me know whether there is anything left to pay?",
        "I have been trying to cancel my subscription through the app and the option doesn't appear. My next renewal is {renewDate} and I don't want to be charged again.\n\nPlease cancel it for me.",
        "I'd like to end my {plan} membership effective immediately. Could you also tell me if I will lose the discount on my open order?",
      ],
    },
    botShort: ["cancel subscription", "cancel membership", "cancel plus", "stop subscription"],
    clarify: [
      {
        q: [
          "Can I confirm the email address on the membership?",
          "What email is the membership under?",
        ],
        a: ["It's {customerEmail}.", "{customerEmail}", "Should be {customerEmail}."],
      },
      {
        q: [
          "Can I ask what's making you want to cancel?",
          "Is there a reason you're cancelling, anything we could have done better?",
        ],
        a: [
          "I just don't order enough to make it worth it.",
          "Honestly it's the price, I need to cut back.",
          "dont use it enough",
          "I'm moving and won't need it for a while.",
        ],
      },
    ],
    acknowledge: [
      "Of course, I can help you cancel that.",
      "Totally understand, let's get that cancelled for you.",
      "Sure thing, sorry it didn't work out for you.",
      "No problem at all, and sorry the cancel button was hard to find.",
    ],
    impact: [
      "When budgets are tight, the last thing you need is a subscription charging you for something you don't use.",
      "I know it's annoying to have to contact us just to cancel, so I'll make this quick.",
    ],
    dismiss: [
      "You could have done this in the app.",
      "Fine, if that's what you want.",
      "Most people keep it, but okay.",
      "You'll lose all your benefits, just so you know.",
    ],
    action: [
      "I've cancelled your {plan} membership and you won't be charged on {renewDate}.",
      "Your membership is now set to cancel, and auto-renew is off.",
      "Done, the subscription is cancelled and the renewal on {renewDate} won't go through.",
      "I've switched off the renewal, so no more {planPrice} charges.",
    ],
    fact: {
      correct:
        "you can cancel at any time with no fee, and you keep the benefits until the end of the current billing period",
      vague: [
        "you shouldn't have any more charges after this",
        "that should be everything",
        "it'll wind down on its own",
      ],
      wrong: [
        "there's a $15 early cancellation fee",
        "your benefits stop immediately and the rest of the month isn't refunded",
        "you need to give 30 days' notice before cancelling",
      ],
      emailMacro:
        "cancelling before the end of a 12-month term carries a $15 early cancellation fee",
    },
    commitment: [
      "You'll get a cancellation confirmation within the hour, and I've noted the account so no charge can go out on {renewDate}.",
      "I'll personally check on {renewDate} that no charge went through, and refund it straight away if it did.",
    ],
    anticipate: [
      "Your free shipping still applies to anything you order before {renewDate}.",
      "If you rejoin later, your order history and saved addresses will still be there.",
    ],
    followUp: [
      {
        q: [
          "Do I still get free shipping until then?",
          "can i still use the free shipping this month?",
        ],
        a: [
          "Yes, everything stays active until {renewDate}.",
          "You do, the benefits run until the end of the billing period.",
        ],
      },
      {
        q: ["Will I get a refund for this month?", "do i get money back for this month"],
        a: [
          "Since you keep the benefits until {renewDate}, there's no partial refund, but nothing further will be charged.",
          "There isn't a partial refund, but you'll keep full access until {renewDate}.",
        ],
      },
    ],
  },

  "password-reset": {
    queue: "accounts",
    subjects: [
      "Can't log in",
      "Password reset email not arriving",
      "Locked out of my account",
      "Reset link doesn't work",
    ],
    problem: {
      voice: [
        "Hi, I can't get into my account, the password reset email isn't coming through.",
        "Yeah, um, I'm locked out. I've tried resetting like three times.",
        "So I clicked the reset link and it just says it's expired.",
        "Hi, I need help logging in, I think I forgot which email I used.",
        "I keep trying to reset my password on my {device} and nothing happens.",
      ],
      chat: [
        "cant log in, reset email never comes",
        "hi the password reset link says expired",
        "Locked out of my account after too many tries",
        "I reset my password but it still won't let me in",
        "reset link not working on my {device}",
      ],
      email: [
        "I've been trying to reset my password for two days. I request the link, it arrives, and when I click it the page says the link has expired. I'm using the same {device} each time.\n\nCan you reset it for me or tell me what I'm doing wrong?",
        "I can't log into my Fernway account. The reset email does not arrive at {customerEmail}. I've checked spam and promotions.\n\nI have an open order I need to check on, so I'd appreciate help quickly.",
        "My account appears to be locked after several failed login attempts. Please unlock it and send me a new reset link.",
      ],
    },
    botShort: ["reset password", "can't log in", "login problem", "locked out"],
    clarify: [
      {
        q: [
          "Which email address are you using to log in?",
          "Can you confirm the email on the account?",
        ],
        a: [
          "{customerEmail}",
          "It's {customerEmail}.",
          "Should be {customerEmail}, that's my main one.",
        ],
      },
      {
        q: [
          "When you click the link, is it the most recent email you're opening?",
          "Are you clicking the newest reset email, or an older one?",
        ],
        a: [
          "Um, I'm not sure actually, there's a few of them.",
          "I think the first one?",
          "oh maybe not the newest one",
          "The latest, I think.",
        ],
      },
      {
        q: ["What device and browser are you using?", "Is this on the app or in a browser?"],
        a: ["On my {device}, in the app.", "Browser on my {device}.", "{device}, the app"],
      },
    ],
    acknowledge: [
      "Being locked out is so frustrating, sorry about that.",
      "Sorry you're stuck outside your account.",
      "I'm sorry the reset link is giving you trouble.",
      "That sounds annoying, let's get you back in.",
    ],
    impact: [
      "Being locked out while you're waiting on an order is stressful, so let's get you back in right now.",
      "You've spent time on this already, so I'll make sure this next link works.",
    ],
    dismiss: [
      "Just follow the instructions in the email.",
      "You probably typed the password wrong.",
      "It works for everyone else.",
      "You need to check your spam folder.",
    ],
    action: [
      "I've unlocked the account and sent a fresh reset link to {customerEmail}.",
      "I've cleared the old reset requests and sent a new link just now.",
      "The account was locked after failed attempts, I've unlocked it and re-sent the link.",
      "I've verified the email and triggered a new reset link.",
    ],
    fact: {
      correct: "the reset link is valid for 30 minutes, and only the most recent link works",
      vague: [
        "the link should work now",
        "just use the new one",
        "give it another try and it should be fine",
      ],
      wrong: [
        "the reset link stays valid for 7 days",
        "you have to wait 24 hours between reset attempts",
        "any of the reset emails will work",
      ],
      emailMacro: "reset links stay valid for 24 hours from the time they are sent",
    },
    commitment: [
      "I'll stay on with you until you're logged in.",
      "If the new link doesn't work, reply here and I'll set a temporary password for you myself.",
    ],
    anticipate: [
      "Older reset emails won't work anymore, so you can delete them to avoid mix-ups.",
      "Once you're in, you can turn on sign-in with a code so this doesn't happen again.",
    ],
    followUp: [
      {
        q: ["What if it doesn't come through again?", "and if the email doesnt arrive?"],
        a: [
          "Then we can set a temporary password for you on a call or chat after verifying you.",
          "Let us know and we'll verify you and set it manually.",
        ],
      },
      {
        q: ["Can I change my login email too?", "can i update the email on the account"],
        a: [
          "Yes, once you're logged in it's under Account settings, Profile.",
          "You can, under Account, Profile, after you've logged in.",
        ],
      },
    ],
  },

  "address-change": {
    queue: "orders",
    subjects: [
      "Change shipping address on order {order}",
      "Wrong address on my order",
      "Update delivery address",
      "Address change request - {order}",
    ],
    problem: {
      voice: [
        "Hi, I just placed an order and I put the wrong address on it.",
        "Yeah, I need to change the shipping address on order {order}, I moved.",
        "Um, so my order went to my old address in {oldCity}, can I change it?",
        "I placed an order {placedWhen} and I need it to go to {newAddress} instead.",
        "Hi, is it too late to change where my order's going?",
      ],
      chat: [
        "need to change the address on my order",
        "hi i used my old address by mistake, order {order}",
        "Can you update the shipping address to {newAddress}?",
        "wrong address on order {order} pls help",
        "ordered {placedWhen} with the wrong address",
      ],
      email: [
        "I placed order {order} {placedWhen} and realised the delivery address is my old one in {oldCity}. The correct address is {newAddress}.\n\nPlease update the order before it ships.",
        "Could you please change the delivery address on order {order}? It should go to {newAddress}. I moved last month and forgot to update my account.",
        "I made a mistake at checkout and the order is going to my work address. Please redirect it to {newAddress} if it hasn't shipped yet.",
      ],
    },
    botShort: ["change address", "wrong address", "update shipping address", "address change"],
    clarify: [
      {
        q: ["What's the new address?", "Can you give me the full new address?"],
        a: ["It's {newAddress}.", "{newAddress}", "Sure, {newAddress}."],
      },
      {
        asks: "order",
        q: ["What's the order number?", "Can you confirm the order number?"],
        a: ["{order}", "It's {order}.", "Order {order}."],
      },
    ],
    acknowledge: [
      "No worries, that happens all the time.",
      "Easy mistake to make, let's fix it.",
      "Thanks for catching that early.",
      "Sorry for the hassle, let me check if it's still in time.",
    ],
    impact: [
      "I know you want to be sure this doesn't end up in {oldCity}, so I'll confirm it before we hang up.",
      "Moving is stressful enough without worrying about where your order's going.",
    ],
    dismiss: [
      "You should have checked the address before ordering.",
      "That's why we show the address at checkout.",
      "It's on you to keep your account up to date.",
      "We can't be responsible for wrong addresses.",
    ],
    action: [
      "Good news, it hasn't been packed yet, so I've updated the address to {newAddress}.",
      "I've changed the shipping address on order {order}.",
      "It was still in the queue, so the new address is on the order now.",
      "I've updated the order and also saved {newAddress} as your default address.",
    ],
    fact: {
      correct:
        "we can change the shipping address until the order is packed, which is usually within 2 hours of it being placed",
      vague: [
        "it's usually fine if you catch it early",
        "we can normally sort these out",
        "it just depends where it is in the process",
      ],
      wrong: [
        "addresses can't be changed once the order is placed",
        "you can change the address any time until it's delivered",
        "address changes cost $7.50",
      ],
      emailMacro:
        "shipping addresses cannot be changed after checkout, so the order would need to be cancelled and placed again",
    },
    commitment: [
      "I'll check the shipping label once it prints to make sure it shows {newAddress}, and email you if anything's off.",
      "I've flagged the order so the warehouse double-checks the address before it goes out.",
    ],
    anticipate: [
      "Your confirmation email will update within a few minutes to show the new address.",
      "I've also updated your saved address so future orders go to the right place.",
    ],
    followUp: [
      {
        q: ["Will that delay the delivery?", "does this change the delivery date"],
        a: [
          "No, it keeps the same delivery estimate.",
          "It shouldn't, the estimate stays the same.",
        ],
      },
      {
        q: ["Can you update my account address too?", "can you save it for next time too"],
        a: [
          "Done, it's your default address now.",
          "Yes, I've saved it as the default on your account.",
        ],
      },
    ],
  },

  "warranty-claim": {
    queue: "product-care",
    subjects: [
      "Warranty claim - {item}",
      "{item} stopped working",
      "Defective {item}",
      "Faulty product, order {order}",
    ],
    problem: {
      voice: [
        "Hi, I bought {aItem} from you in {purchaseDate} and it {fault}.",
        "Yeah, um, my {item} {fault}, and I think it's still under warranty.",
        "So I've had this {item} for a few months and now it {fault}.",
        "I'm calling about a warranty claim, the {item} I got {fault}.",
      ],
      chat: [
        "my {item} {fault}, is it under warranty?",
        "hi bought {aItem} in {purchaseDate}, it {fault}",
        "Warranty question: {item} {fault}",
        "the {item} i ordered {fault} already",
      ],
      email: [
        "I purchased {aItem} from Fernway in {purchaseDate} (order {order}). Over the past week it {fault}, and now it's unusable. I have followed the care instructions.\n\nI'd like to make a warranty claim. Please let me know what you need from me.",
        "My {item} {fault}. It's less than a year old and I would expect it to last much longer than this. I've attached nothing yet, but can send photos if needed.\n\nHow do I get it repaired or replaced?",
        "I'm disappointed to say that the {item} I bought in {purchaseDate} {fault}. Is this covered under your warranty?",
      ],
    },
    botShort: ["warranty", "broken item", "product stopped working", "warranty claim"],
    clarify: [
      {
        q: [
          "Could you send a photo or a short video of the problem?",
          "Are you able to send me a photo of the fault?",
        ],
        a: [
          "Sure, I'll send it now.",
          "Yes, just sent a video.",
          "ok uploading a pic",
          "Attached a couple of photos.",
        ],
      },
      {
        q: ["When did you purchase it, roughly?", "Do you remember when you bought it?"],
        a: [
          "In {purchaseDate}.",
          "{purchaseDate}, I think, the order was {order}.",
          "around {purchaseDate}",
        ],
      },
    ],
    acknowledge: [
      "Sorry to hear it {fault}.",
      "That's disappointing for something that new, sorry.",
      "I'm sorry the {item} let you down.",
      "That shouldn't happen, sorry about that.",
    ],
    impact: [
      "You bought the {item} to use every day, so having it fail after a few months is really frustrating.",
      "It's not just the product, it's the time you've spent dealing with it, and I'm sorry about that.",
    ],
    dismiss: [
      "Products wear out, that's normal.",
      "It was probably used wrong.",
      "Did you read the care instructions?",
      "We get a lot of these, it's a known thing.",
    ],
    action: [
      "Thanks, that's clearly a manufacturing fault, so I've approved a replacement {item}.",
      "I've registered the warranty claim on order {order} and the replacement is being prepared.",
      "I've approved the claim and the new {item} will ship out in the next business day.",
      "I've logged the claim and arranged a replacement, no need to send the old one back.",
    ],
    fact: {
      correct:
        "everything we sell has a 12-month warranty from delivery, and we ship a replacement once we've seen a photo or video of the fault",
      vague: [
        "it should be covered",
        "most things like this are covered",
        "we can usually help with faulty items",
      ],
      wrong: [
        "the warranty only covers the first 90 days",
        "you need to send the broken one back before we can ship a replacement",
        "warranty replacements have a $20 handling fee",
      ],
      emailMacro:
        "our warranty covers manufacturing defects for 6 months from the date of purchase",
    },
    commitment: [
      "I'll email you the replacement tracking by {deadline} at the latest, and I'll check it's actually moving.",
      "I'll personally keep an eye on the claim and update you on {deadline}.",
    ],
    anticipate: [
      "You don't need to send the old one back, you can recycle it locally.",
      "The replacement comes with a fresh 12-month warranty from its delivery date.",
    ],
    followUp: [
      {
        q: ["Do I need to send the old one back?", "should i return the broken one?"],
        a: ["No, you can keep or recycle it.", "No need, just dispose of it however's easiest."],
      },
      {
        q: ["Does the new one get its own warranty?", "is the replacement covered too?"],
        a: [
          "Yes, it has a new 12-month warranty from delivery.",
          "It does, a fresh 12 months from when it arrives.",
        ],
      },
    ],
  },

  "billing-question": {
    queue: "billing",
    subjects: [
      "Question about a charge",
      "What is this {planPrice} charge?",
      "Unrecognised charge on my statement",
      "Billing date question",
    ],
    problem: {
      voice: [
        "Hi, I've got a charge from Fernway for {planPrice} and I'm not sure what it's for.",
        "Yeah, I just want to understand when my membership gets billed.",
        "Um, I see a {planPrice} charge on {chargeDate}, is that the {plan} thing?",
        "Hi there, I'm confused about my bill, the amount changed.",
      ],
      chat: [
        "what's the {planPrice} charge on my card?",
        "hi when does my membership bill each month",
        "I got charged {planPrice} on {chargeDate}, what is it",
        "question about my bill",
      ],
      email: [
        "I noticed a charge of {planPrice} from Fernway on {chargeDate} on my card ending {last4}. I don't remember making a purchase that day.\n\nCan you tell me what this charge is for?",
        "Could you explain how the {plan} membership is billed? I was charged on a different date this month and I'd like to understand why.",
        "I'm trying to reconcile my statement. There's a Fernway charge I can't match to an order. Please send me the details.",
      ],
    },
    botShort: ["billing question", "what is this charge", "membership charge", "billing"],
    clarify: [
      {
        q: [
          "Can you confirm the date and amount of the charge?",
          "What's the exact amount and date you're seeing?",
        ],
        a: [
          "{planPrice} on {chargeDate}.",
          "It's {planPrice}, {chargeDate}.",
          "{planPrice}, {chargeDate}",
        ],
      },
      {
        q: ["Is that on the card ending in {last4}?", "Is it on the card ending {last4}?"],
        a: ["Yes, ending in {last4}.", "Yeah, {last4}.", "the one ending {last4}"],
      },
    ],
    acknowledge: [
      "Good question, an unfamiliar charge is always worth checking.",
      "Sure, I'll explain that charge.",
      "I understand, it's confusing when a charge doesn't match an order.",
      "Let's figure out what that charge is.",
    ],
    impact: [
      "Nobody likes seeing a charge they can't place, so let's make sure you know exactly what you're paying for.",
      "I know you're trying to keep track of your spending, so I'll walk you through it.",
    ],
    dismiss: [
      "It's your membership, it's on the website.",
      "You agreed to it when you signed up.",
      "Check your emails, it's all in there.",
      "That's just the normal charge.",
    ],
    action: [
      "That charge is your {plan} membership renewal.",
      "I can see it's the {plan} renewal on the card ending {last4}.",
      "It matches your monthly {plan} payment, not an order.",
      "I've checked the account and that's the membership fee, there's nothing else pending.",
    ],
    fact: {
      correct:
        "{plan} is $9.99 a month, billed on the same date each month as the day you signed up",
      vague: [
        "it's just the usual membership charge",
        "it bills around the same time each month",
        "that's the regular fee",
      ],
      wrong: [
        "{plan} is billed on the 1st of every month",
        "{plan} is $14.99 a month now",
        "the membership is billed quarterly",
      ],
      emailMacro: "the {plan} membership renews at $12.99 per month on the 1st",
    },
    commitment: [
      "I've emailed you a full billing history so you can match every charge, and you can reply to me directly with any questions.",
      "I'll send a breakdown of the last three charges to {customerEmail} right after this.",
    ],
    anticipate: [
      "You can see every charge under Account, Billing history, and download receipts there too.",
      "If you'd like to change the billing date, I can move it once to any day you choose.",
    ],
    followUp: [
      {
        q: ["Can I change the billing date?", "can you move my billing date?"],
        a: [
          "Yes, I can move it once, which day works best?",
          "I can, pick any day of the month and I'll set it.",
        ],
      },
      {
        q: ["Where can I see my receipts?", "where do i find invoices"],
        a: [
          "Under Account, Billing history, each charge has a downloadable receipt.",
          "In your account under Billing history.",
        ],
      },
    ],
  },
};

/** Weights of intents per channel. */
export const INTENT_MIX: Readonly<Record<DemoChannel, Readonly<Record<Intent, number>>>> = {
  voice: {
    "refund-status": 16,
    "double-charge": 14,
    "delivery-missing": 15,
    "cancel-subscription": 14,
    "password-reset": 8,
    "address-change": 12,
    "warranty-claim": 9,
    "billing-question": 12,
  },
  chat: {
    "refund-status": 14,
    "double-charge": 10,
    "delivery-missing": 17,
    "cancel-subscription": 12,
    "password-reset": 16,
    "address-change": 13,
    "warranty-claim": 7,
    "billing-question": 11,
  },
  email: {
    "refund-status": 18,
    "double-charge": 12,
    "delivery-missing": 13,
    "cancel-subscription": 10,
    "password-reset": 7,
    "address-change": 10,
    "warranty-claim": 18,
    "billing-question": 12,
  },
};

/** Agent opening lines per channel (email openings are salutations). */
export const GREETINGS: Readonly<Record<DemoChannel, readonly string[]>> = {
  voice: [
    "Thank you for calling Fernway, this is {agentName}. How can I help you today?",
    "Fernway customer care, {agentName} speaking. What can I do for you?",
    "Hi, thanks for calling Fernway. My name's {agentName}, what's going on today?",
    "Good {partOfDay}, you've reached Fernway support, this is {agentName}. How can I help?",
    "Thanks for holding, you're through to {agentName} at Fernway. How can I help?",
    "Fernway, this is {agentName}. Who do I have the pleasure of speaking with?",
    "Hi there, {agentName} from Fernway. How can I help you this {partOfDay}?",
    "Good {partOfDay}, thanks for calling Fernway. I'm {agentName}, what can I help with?",
  ],
  chat: [
    "Hi {customerFirst}, I'm {agentName} from Fernway. Let me read through your message.",
    "Hey there! {agentName} here, I'll be helping you today.",
    "Hi, this is {agentName}. Thanks for waiting, how can I help?",
    "Hello {customerFirst}, {agentName} here from the Fernway team. How can I help?",
    "Hi {customerFirst}! Thanks for reaching out, you're chatting with {agentName}.",
    "Good {partOfDay}! I'm {agentName}. What can I help you with?",
    "Hi! {agentName} from Fernway support here.",
    "Hey {customerFirst}, thanks for your patience. I'm {agentName}.",
  ],
  email: [
    "Hi {customerFirst},",
    "Hello {customerFirst},",
    "Dear {customerFirst},",
    "Good {partOfDay} {customerFirst},",
    "Hi {customerFirst}, thanks for getting in touch.",
    "Hello {customerFirst}, and thank you for your email.",
  ],
};

/** Greeting a script reciter uses every time, whatever the situation. */
export const CANNED_GREETING: Readonly<Record<DemoChannel, string>> = {
  voice:
    "Thank you for calling Fernway. My name is {agentName}. Your satisfaction is our priority. How may I assist you today?",
  chat: "Thank you for contacting Fernway. My name is {agentName}. How may I assist you today?",
  email:
    "Dear Valued Customer,\n\nThank you for contacting Fernway. Your satisfaction is our priority.",
};

/** The line a script reciter closes every turn with. */
export const CANNED_CLOSER = "Is there anything else I can help you with today?";
/** A reciter's empathy line: formulaic, and the same whatever the customer said. */
export const CANNED_EMPATHY = "I understand your concern and I apologize for any inconvenience.";

/** Formulaic acknowledgement (empathy about 2). */
export const FORMULAIC: readonly string[] = [
  "I understand your concern.",
  "I apologize for the inconvenience.",
  "I understand your frustration.",
  "Sorry for the inconvenience caused.",
  "Thank you for bringing this to our attention.",
  "We regret any inconvenience.",
];

/** Ownership phrases (empathy 4 and up). */
export const OWNERSHIP: readonly string[] = [
  "I'll take care of this for you.",
  "Let me sort this out right now.",
  "I'm going to make sure this gets fixed today.",
  "I'll own this one until it's done.",
  "Leave it with me, I'll get it handled.",
  "I'm going to personally make sure this is resolved.",
];

/** Visible script filler (middling adaptation). */
export const SCRIPT_FILLER: readonly string[] = [
  "I'd be happy to assist you with that.",
  "Thank you for your patience.",
  "Rest assured we will do our best to resolve this.",
  "I appreciate you reaching out to us.",
  "Please allow me a moment to review your account.",
  "Thank you for being a valued customer.",
];

/** Lead-ins for a policy fact clause; `{f}` is the clause. */
export const FACT_LEADS: readonly string[] = [
  "Just so you know, {f}.",
  "For reference, {f}.",
  "The way it works is that {f}.",
  "Normally {f}.",
  "Our policy is that {f}.",
  "To set expectations, {f}.",
];

/** A customer questioning a policy fact; `{f}` is the published clause. */
export const PUSHBACK: readonly string[] = [
  "Really? Your website says {f}.",
  "That's not what I was told before. Someone on chat said {f}.",
  "Wait, the last person I spoke to said {f}. Which is it?",
  "Hm, your help page says {f}.",
];

/** Agent replies to pushback when standing by a wrong fact. */
export const DOUBLE_DOWN: readonly string[] = [
  "I can only go by what I have here, and it says {w}.",
  "That information may be outdated. {W}.",
  "I'm afraid that's not correct, {w}.",
];

/** Agent replies to pushback when correcting themselves. */
export const CORRECTION: readonly string[] = [
  "You're right, I'm sorry, {f}.",
  "Let me correct that, {f}. Thanks for catching it.",
];

/** A customer pointing out that a canned line did not answer the question. */
export const IGNORED: readonly string[] = [
  "You already said that. That's not what I asked.",
  "That doesn't answer my question.",
  "Okay but that's not what I asked.",
  "Sorry, are you reading from a script? I asked something else.",
];

/** Identity checks on voice calls. */
export const VERIFY: readonly Exchange[] = [
  {
    q: [
      "Before I pull that up, can I get your full name and the ZIP code on the account?",
      "Sure, can I just verify your name and ZIP code first?",
    ],
    a: [
      "It's {customerFirst} {customerLast}, {zip}.",
      "{customerFirst} {customerLast}, ZIP is {zip}.",
    ],
  },
  {
    q: [
      "Can I get the email address on your account, please?",
      "What's the email address you use with us?",
    ],
    a: ["It's {customerEmail}.", "Uh, {customerEmail}."],
  },
  {
    q: [
      "Can you confirm the last four digits of the phone number on the account?",
      "Can I get the last four of your phone number for verification?",
    ],
    a: ["{phoneLast4}.", "Yeah, it's {phoneLast4}."],
  },
];

/** The agent asking for a moment (followed by a hold or a pause). */
export const HOLD_AGENT: Readonly<Record<DemoChannel, readonly string[]>> = {
  voice: [
    "Okay, give me one moment while I pull that up.",
    "Let me check that for you, bear with me a second.",
    "Alright, I'm going to put you on a brief hold while I look into this, okay?",
    "One sec, the system's a bit slow today.",
    "Let me just look at the account, one moment.",
  ],
  chat: [
    "Give me a minute to look into this.",
    "Let me check that, one moment please.",
    "Checking now, bear with me.",
    "Just pulling up your order, won't be long.",
  ],
  email: [],
};

/** The customer agreeing to wait. */
export const HOLD_CUSTOMER: Readonly<Record<DemoChannel, readonly string[]>> = {
  voice: ["Sure.", "Okay.", "Mm-hm.", "No problem.", "Yeah, sure.", "That's fine."],
  chat: ["ok", "sure", "np", "thanks", "ok thank you", "sure thing"],
  email: [],
};

/** Resolution lines for an escalated contact. */
export const ESCALATE: readonly string[] = [
  "I'm escalating this to our specialist team with a priority flag, and they'll contact you within one business day.",
  "This needs a supervisor's approval, so I've escalated it and you'll hear back within 24 hours.",
  "I've escalated the case to tier two; they have the full notes so you won't need to repeat anything.",
];

/** Resolution lines for a transferred call. */
export const TRANSFER: readonly string[] = [
  "I'm going to transfer you to the right team now, please stay on the line.",
  "Let me transfer you over to a specialist who can action this directly.",
];

/** Resolution lines for a contact left unresolved. */
export const UNRESOLVED: readonly string[] = [
  "I'm not able to do anything further on this today.",
  "There isn't anything more I can do from here right now.",
  "You'll need to contact us again if it doesn't change.",
];

/** Customer closing remarks by how the contact went. */
export const CUSTOMER_CLOSE: Readonly<Record<"good" | "ok" | "bad", readonly string[]>> = {
  good: [
    "Perfect, thank you so much!",
    "That's great, thanks for your help.",
    "Amazing, you've been really helpful.",
    "Great, that's a relief. Thank you.",
    "Awesome, thanks!",
  ],
  ok: ["Okay, thanks.", "Alright.", "Okay, I'll wait then.", "Fine, thanks.", "Got it."],
  bad: [
    "This is ridiculous, but okay.",
    "Fine. Whatever.",
    "Not really happy with that, but okay.",
    "I guess I'll just wait and see.",
    "Honestly this isn't good enough.",
  ],
};

/** Agent closing lines per channel (email: the last paragraph). */
export const AGENT_CLOSE: Readonly<Record<DemoChannel, readonly string[]>> = {
  voice: [
    "You're welcome, {customerFirst}. Have a great rest of your {partOfDay}.",
    "Thanks for calling Fernway, take care.",
    "Happy to help. Have a good one!",
    "No problem at all. Bye now.",
    "Thanks for your patience today, {customerFirst}. Take care.",
  ],
  chat: [
    "You're welcome! Have a great {partOfDay} 😊",
    "Glad I could help, {customerFirst}. Take care!",
    "Anytime! I'll close the chat now, but you can reach us here whenever.",
    "Thanks for chatting with us, have a good one.",
    "Happy to help! Bye for now.",
  ],
  email: [
    "Thanks again for your patience.",
    "Let me know if there's anything else.",
    "Glad we could get this sorted.",
  ],
};

/** A caller saying goodbye. */
export const CUSTOMER_BYE: readonly string[] = [
  "Bye.",
  "Thanks, bye.",
  "You too, bye.",
  "Okay, bye-bye.",
];

/** Chat flow greetings (SYSTEM messages in Connect, `bot` turns in canonical). */
export const BOT_GREETING: readonly string[] = [
  "Hi! I'm Fern, the Fernway virtual assistant. What can I help you with today?",
  "Welcome to Fernway chat. Please tell us briefly what you need help with.",
  "Hello! You're chatting with our support bot. What do you need help with?",
];

/** Chat flow messages handing the customer to an agent. */
export const BOT_HANDOFF: readonly string[] = [
  "Thanks! I'm connecting you with a member of our team. Typical wait is under 2 minutes.",
  "Got it. Let me find an agent who can help with that.",
  "Thanks, an agent will be with you shortly.",
];

/** Agent email sign-offs. */
export const EMAIL_SIGNOFF_AGENT: readonly string[] = [
  "Kind regards,\n{agentName}\nFernway Customer Care",
  "Best,\n{agentName} | Fernway Support",
  "Warm regards,\n{agentName}\nFernway Support Team",
  "Thanks,\n{agentName}\nFernway",
  "All the best,\n{agentName}\nCustomer Care, Fernway",
];

/** A script reciter's email sign-off, always the same. */
export const EMAIL_SIGNOFF_CANNED = "Regards,\nFernway Customer Care Team";

/** Customer email salutations. */
export const EMAIL_OPEN_CUSTOMER: readonly string[] = [
  "Hello,",
  "Hi,",
  "Hi there,",
  "Dear Fernway,",
  "To whom it may concern,",
  "Hello Fernway team,",
];

/** Customer email sign-offs. */
export const EMAIL_SIGNOFF_CUSTOMER: readonly string[] = [
  "Thanks,\n{customerFirst}",
  "Best regards,\n{customerFirst} {customerLast}",
  "Kind regards,\n{customerFirst} {customerLast}",
  "Cheers,\n{customerFirst}",
  "Thank you,\n{customerFirst}",
  "{customerFirst}\n\nSent from my iPhone",
];

/** A customer closing an email thread. */
export const EMAIL_THANKS: readonly string[] = [
  "Thank you, that's really helpful.",
  "Thanks for sorting this out so quickly.",
  "Great, appreciate the help.",
  "Thanks. I'll keep an eye out.",
];

/** Spoken fillers a caller starts a sentence with. */
export const VOICE_FILLERS: readonly string[] = [
  "So, ",
  "Yeah, ",
  "Um, ",
  "Okay, so ",
  "Uh, ",
  "Right, ",
];
/** Short spoken lead-ins an agent starts a reply with. */
export const AGENT_VOICE_OPENERS: readonly string[] = [
  "Okay, ",
  "Alright, ",
  "Sure, ",
  "Okay, great. ",
  "Got it. ",
];

/** Customer first names. */
export const CUSTOMER_FIRST: readonly string[] = [
  "James",
  "Mary",
  "Robert",
  "Patricia",
  "Michael",
  "Jennifer",
  "David",
  "Linda",
  "William",
  "Elizabeth",
  "Chris",
  "Susan",
  "Daniel",
  "Jessica",
  "Matthew",
  "Sarah",
  "Anthony",
  "Karen",
  "Kevin",
  "Nancy",
  "Brian",
  "Lisa",
  "Jason",
  "Ashley",
  "Ryan",
  "Emily",
  "Tyler",
  "Megan",
  "Aaron",
  "Rachel",
  "Luis",
  "Maria",
  "Wei",
  "Priya",
  "Omar",
  "Aisha",
  "Hannah",
  "Noah",
];
/** Customer last names. */
export const CUSTOMER_LAST: readonly string[] = [
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Jones",
  "Garcia",
  "Miller",
  "Davis",
  "Rodriguez",
  "Martinez",
  "Hernandez",
  "Lopez",
  "Wilson",
  "Anderson",
  "Thomas",
  "Taylor",
  "Moore",
  "Jackson",
  "Lee",
  "Perez",
  "Thompson",
  "White",
  "Harris",
  "Clark",
  "Nguyen",
  "Patel",
  "Kim",
  "Walker",
];

/** Items with the kind of fault they plausibly develop. */
export const ITEMS: readonly { name: string; faults: readonly string[] }[] = [
  { name: "cordless vacuum", faults: ["won't hold a charge anymore", "stopped turning on"] },
  {
    name: "espresso grinder",
    faults: ["makes a grinding noise and won't grind", "stopped turning on"],
  },
  { name: "air purifier", faults: ["keeps shutting itself off", "the fan rattles really loudly"] },
  { name: "stand mixer", faults: ["the motor smells like burning", "won't change speed"] },
  { name: "electric kettle", faults: ["stopped heating", "leaks from the bottom"] },
  {
    name: "linen duvet cover",
    faults: ["the seams came apart after two washes", "the zipper broke"],
  },
  { name: "desk lamp", faults: ["flickers constantly", "the switch broke"] },
  { name: "office chair", faults: ["won't stay up, it sinks", "the armrest cracked"] },
  { name: "cast-iron skillet", faults: ["cracked across the base", "has a warped base"] },
  {
    name: "bamboo towel set",
    faults: ["is falling apart at the edges", "lost its color after one wash"],
  },
  { name: "blender", faults: ["stopped spinning", "the jug cracked"] },
  { name: "standing fan", faults: ["stopped oscillating", "makes a clicking noise"] },
  { name: "memory foam pillow", faults: ["went flat within weeks", "the cover tore at the seam"] },
  { name: "robot vacuum", faults: ["won't dock anymore", "keeps getting error 5"] },
  { name: "toaster oven", faults: ["the door hinge snapped", "won't heat past 200 degrees"] },
  {
    name: "ceramic planter set",
    faults: ["arrived with hairline cracks that spread", "is leaking"],
  },
  { name: "throw blanket", faults: ["is pilling badly", "the stitching unraveled"] },
  { name: "rice cooker", faults: ["burns the rice every time", "the lid won't latch"] },
  { name: "bookshelf", faults: ["the shelf pins snapped", "is bowing in the middle"] },
  { name: "humidifier", faults: ["leaks all over the floor", "stopped misting"] },
];

/** Parcel carriers. */
export const CARRIERS: readonly string[] = ["UPS", "FedEx", "USPS", "OnTrac"];
/** Devices customers log in from. */
export const DEVICES: readonly string[] = [
  "iPhone",
  "Android phone",
  "laptop",
  "iPad",
  "work computer",
];
/** Street names for addresses. */
export const STREETS: readonly string[] = [
  "Alder Lane",
  "Maple Street",
  "Cedar Court",
  "Harbor View Drive",
  "Willow Avenue",
  "Birch Road",
  "Lakeside Boulevard",
  "Pine Ridge Way",
  "Elm Street",
  "Sycamore Place",
];
/** City and state pairs for addresses. */
export const CITIES: readonly (readonly [string, string])[] = [
  ["Portland", "OR"],
  ["Austin", "TX"],
  ["Columbus", "OH"],
  ["Raleigh", "NC"],
  ["Denver", "CO"],
  ["Tucson", "AZ"],
  ["Madison", "WI"],
  ["Richmond", "VA"],
  ["Boise", "ID"],
  ["Omaha", "NE"],
  ["Sacramento", "CA"],
  ["Tampa", "FL"],
  ["Spokane", "WA"],
  ["Albany", "NY"],
];
/** When an order was placed, as a customer says it. */
export const PLACED_WHEN: readonly string[] = [
  "about an hour ago",
  "this morning",
  "last night",
  "twenty minutes ago",
  "earlier today",
];

/**
 * English function words a secret is never drawn from: pronouns, determiners, auxiliaries,
 * prepositions, conjunctions and the commonest adverbs (the closed classes of the usual stop-word
 * lists, e.g. NLTK's English list, plus contractions' stems). Guessing one is still allowed.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all almost also although always am among an and another any anybody
  anyone anything are around as at be became because become been before being below between both but by
  can cannot could did do does doing done down during each either else enough even ever every everyone
  everything few for from further get gets got had has have having he her here hers herself him himself his
  how however i if in into is it its itself just least less like made make many may me might mine more most
  much must my myself neither never no nobody none nor not nothing now of off often on once one only onto or
  other others otherwise our ours ourselves out over own per perhaps quite rather really said same say says
  shall she should since so some somebody someone something sometimes still such than that the their theirs
  them themselves then there therefore these they this those though through thus to together too toward
  towards under unless until up upon us very via was we well were what whatever when whenever where
  whereas wherever whether which while who whoever whole whom whose why will with within without would yet
  you your yours yourself yourselves ll re ve don didn doesn isn wasn weren won wouldn couldn shouldn
  aren hasn haven hadn mr mrs ms dr st etc`
    .split(/\s+/)
    .filter((w) => w !== ''),
);

// Made-up names for synthetic patients, plainly fictional and drawn from many languages.

const list = (names: string): readonly string[] => Object.freeze(names.split(' '));

export const GIVEN_NAMES: Readonly<Record<'female' | 'male', readonly string[]>> = {
  female: list(
    'Amara Beatriz Chen Dana Elif Fatima Grace Hana Ingrid Jasmine Keiko Leila Maria Nadia Olga Priya Rosa Sofia Tamar Yara'
  ),
  male: list(
    'Adam Bruno Carlos Dmitri Emeka Farid Goran Hiro Ivan Jonas Kofi Liam Mateo Nikhil Omar Pavel Rafael Samuel Tariq Wei'
  )
};

export const FAMILY_NAMES = list(
  'Abara Bergstrom Castillo Dubois Eriksen Fontaine Garcia Haddad Ito Jovanovic Kowalczyk Larsen Mbeki Novak Okafor ' +
    'Petrov Quinn Rossi Sato Tanaka Umarov Varga Wang Xu Yilmaz Zeller'
);
